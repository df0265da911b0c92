#include "RetypeFix.h"
#include "CoroutineContext.h"
#include "QualifiedName.h"

#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/AST/TypeLoc.h"
#include "clang/Lex/Lexer.h"

namespace clang::tidy::aorm {
namespace {

// Whether the member returns its own object by reference (a builder step such as `limit`).
bool returnsOwnObject(const CXXMemberCallExpr &Call) {
  const CXXMethodDecl *MD = Call.getMethodDecl();
  if (!MD || !MD->getReturnType()->isLValueReferenceType())
    return false;
  const CXXRecordDecl *R = MD->getReturnType()->getPointeeCXXRecordDecl();
  return R && R->getCanonicalDecl() == MD->getParent()->getCanonicalDecl();
}

// The type as written, when it is a specialisation of a named template (`orm::Mapper<Users>`).
std::optional<TemplateSpecializationTypeLoc> writtenSpecialization(TypeLoc TL) {
  TL = TL.getUnqualifiedLoc();
  if (auto E = TL.getAs<ElaboratedTypeLoc>())
    TL = E.getNamedTypeLoc().getUnqualifiedLoc();
  auto TSL = TL.getAs<TemplateSpecializationTypeLoc>();
  if (!TSL || !TSL.getTypePtr()->getTemplateName().getAsTemplateDecl())
    return std::nullopt;
  return TSL;
}

// What replaces the template's name token: the twin's own name, or the qualified twin when the
// name was found through a using-declaration (which does not bring the twin along).
std::string twinSpelling(const TemplateSpecializationTypeLoc &TSL, llvm::StringRef Twin) {
  if (TSL.getTypePtr()->getTemplateName().getAsUsingShadowDecl())
    return Twin.str();
  llvm::StringRef Last = Twin.rsplit("::").second;
  return (Last.empty() ? Twin : Last).str();
}

std::string respell(TypeLoc TL, const TemplateSpecializationTypeLoc &TSL, llvm::StringRef Twin,
                    ASTContext &Ctx) {
  const SourceManager &SM = Ctx.getSourceManager();
  const LangOptions &LO = Ctx.getLangOpts();
  SourceLocation Name = TSL.getTemplateNameLoc();
  if (Name.isMacroID() || TL.getBeginLoc().isMacroID() || TL.getEndLoc().isMacroID())
    return "";
  std::string Before = textBetween(TL.getBeginLoc(), Name, Ctx);
  SourceLocation AfterName = Lexer::getLocForEndOfToken(Name, 0, SM, LO);
  SourceLocation End = Lexer::getLocForEndOfToken(TL.getEndLoc(), 0, SM, LO);
  if (AfterName.isInvalid() || End.isInvalid())
    return "";
  std::string After = textBetween(AfterName, End, Ctx);
  return Before + twinSpelling(TSL, Twin) + After;
}

// Every reference to the variable in the body, wherever it runs (lambdas included).
class AllRefs : public RecursiveASTVisitor<AllRefs> {
public:
  explicit AllRefs(const VarDecl &Var) : Var(Var) {}
  bool VisitDeclRefExpr(DeclRefExpr *Ref) {
    if (Ref->getDecl() == &Var)
      Refs.push_back(Ref);
    return true;
  }
  std::vector<const DeclRefExpr *> Refs;

private:
  const VarDecl &Var;
};

// The variable's calls the fix covers: blocking calls of the entry, where `co_await` can be
// written.
class CoveredCalls : public BodyWalker<CoveredCalls> {
public:
  CoveredCalls(const VarDecl &Var, const CoversCall &Covers, OffloadTest Offloads, ASTContext &Ctx)
      : BodyWalker(Ctx, std::move(Offloads), /*EnterInPlaceLambdas=*/true), Var(Var),
        Covers(Covers) {}
  struct Use {
    const CXXMemberCallExpr *Call;
    bool Parens;
  };
  std::vector<Use> Uses;
  llvm::SmallPtrSet<const DeclRefExpr *, 8> Refs;

  bool VisitCXXMemberCallExpr(CXXMemberCallExpr *Call) {
    const auto *Ref = dyn_cast_or_null<DeclRefExpr>(chainObject(*Call));
    if (!Ref || Ref->getDecl() != &Var || !Here.canAwait() || !Covers(*Call))
      return true;
    Uses.push_back({Call, awaitNeedsParens(Walk, Walk.size() - 1)});
    Refs.insert(Ref);
    return true;
  }

private:
  const VarDecl &Var;
  const CoversCall &Covers;
};

} // namespace

const Expr *chainObject(const CXXMemberCallExpr &Call) {
  const Expr *Obj = Call.getImplicitObjectArgument();
  while (Obj) {
    Obj = Obj->IgnoreParenImpCasts();
    const auto *Inner = dyn_cast<CXXMemberCallExpr>(Obj);
    if (!Inner || !returnsOwnObject(*Inner))
      return Obj;
    Obj = Inner->getImplicitObjectArgument();
  }
  return nullptr;
}

std::string respelledType(const DeclaratorDecl &D, llvm::StringRef Twin, ASTContext &Ctx) {
  const TypeSourceInfo *TSI = D.getTypeSourceInfo();
  if (!TSI)
    return "";
  TypeLoc TL = TSI->getTypeLoc();
  // A parameter or member may be a reference or pointer to the specialisation.
  TypeLoc Inner = TL.getUnqualifiedLoc();
  while (true) {
    if (auto R = Inner.getAs<ReferenceTypeLoc>())
      Inner = R.getPointeeLoc().getUnqualifiedLoc();
    else if (auto P = Inner.getAs<PointerTypeLoc>())
      Inner = P.getPointeeLoc().getUnqualifiedLoc();
    else
      break;
  }
  std::optional<TemplateSpecializationTypeLoc> TSL = writtenSpecialization(Inner);
  return TSL ? respell(TL, *TSL, Twin, Ctx) : "";
}

RetypePlan planRetype(const VarDecl &Var, const FunctionDecl &Coroutine, llvm::StringRef Twin,
                      const CoversCall &Covers, const OffloadTest &Offloads, ASTContext &Ctx) {
  RetypePlan Plan;
  Plan.Var = &Var;
  const SourceManager &SM = Ctx.getSourceManager();
  const LangOptions &LO = Ctx.getLangOpts();
  std::string Name = Var.getNameAsString();
  const TypeSourceInfo *TSI = Var.getTypeSourceInfo();
  std::optional<TemplateSpecializationTypeLoc> TSL =
      TSI ? writtenSpecialization(TSI->getTypeLoc()) : std::nullopt;
  if (!TSL) {
    Plan.Problem = "'" + Name + "' is not declared with the template's name written out";
    return Plan;
  }
  Plan.NewType = respell(TSI->getTypeLoc(), *TSL, Twin, Ctx);
  if (Plan.NewType.empty()) {
    Plan.Problem = "the declaration of '" + Name + "' is spelled in a macro";
    return Plan;
  }
  if (!lookupQualified(Ctx, Twin)) {
    Plan.Problem = "'" + Twin.str() + "' is not declared here; include its header";
    return Plan;
  }
  const Stmt *Body = userBody(Coroutine);
  AllRefs All(Var);
  All.TraverseStmt(const_cast<Stmt *>(Body));
  CoveredCalls Covered(Var, Covers, Offloads, Ctx);
  Covered.walk(Body);
  for (const DeclRefExpr *Ref : All.Refs)
    if (!Covered.Refs.contains(Ref)) {
      Plan.Problem = "'" + Name + "' is also used on line " +
                     std::to_string(SM.getExpansionLineNumber(Ref->getLocation())) +
                     ", where the fix cannot await a call of it";
      return Plan;
    }

  CharSourceRange NameRange = Lexer::makeFileCharRange(
      CharSourceRange::getTokenRange(TSL->getTemplateNameLoc()), SM, LO);
  if (NameRange.isInvalid()) {
    Plan.Problem = "the declaration of '" + Name + "' is spelled in a macro";
    return Plan;
  }
  Plan.Edits.push_back(FixItHint::CreateReplacement(NameRange, twinSpelling(*TSL, Twin)));
  for (const CoveredCalls::Use &U : Covered.Uses) {
    SourceLocation Begin = U.Call->getBeginLoc();
    SourceLocation End = Lexer::getLocForEndOfToken(U.Call->getEndLoc(), 0, SM, LO);
    if (Begin.isMacroID() || U.Call->getEndLoc().isMacroID() || End.isInvalid()) {
      Plan.Edits.clear();
      Plan.Problem = "a call of '" + Name + "' is spelled in a macro";
      return Plan;
    }
    Plan.Edits.push_back(FixItHint::CreateInsertion(Begin, U.Parens ? "(co_await " : "co_await "));
    if (U.Parens)
      Plan.Edits.push_back(FixItHint::CreateInsertion(End, ")"));
  }
  return Plan;
}

} // namespace clang::tidy::aorm
