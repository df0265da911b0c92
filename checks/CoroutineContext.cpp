#include "CoroutineContext.h"

#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/AST/DeclTemplate.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/ExprConcepts.h"
#include "clang/AST/StmtCXX.h"
#include "clang/Lex/Lexer.h"

namespace clang::tidy::aorm {

bool isCoroutine(const FunctionDecl *FD) {
  return FD && isa_and_nonnull<CoroutineBodyStmt>(FD->getBody());
}

static bool isLambdaCallOperator(const FunctionDecl *FD) {
  const auto *MD = dyn_cast<CXXMethodDecl>(FD);
  return MD && MD->getParent()->isLambda();
}

std::string displayName(const FunctionDecl *FD) {
  return isLambdaCallOperator(FD) ? "lambda" : FD->getNameAsString();
}

std::string describeFunction(const FunctionDecl *FD, llvm::StringRef Kind) {
  if (isLambdaCallOperator(FD))
    return (Kind + " lambda").str();
  return (Kind + " '" + FD->getNameAsString() + "'").str();
}

namespace {
// Finds whether a coroutine body awaits or only yields; nested lambdas are functions of their own.
class SuspendKinds : public RecursiveASTVisitor<SuspendKinds> {
public:
  bool Awaits = false, Yields = false;
  bool TraverseLambdaExpr(LambdaExpr *) { return true; }
  bool VisitCoawaitExpr(CoawaitExpr *E) {
    Awaits |= !E->isImplicit();
    return !Awaits;
  }
  bool VisitDependentCoawaitExpr(DependentCoawaitExpr *) {
    Awaits = true;
    return false;
  }
  bool VisitCoyieldExpr(CoyieldExpr *) {
    Yields = true;
    return true;
  }
};
} // namespace

bool isLoopCoroutine(const FunctionDecl *FD) {
  if (!isCoroutine(FD))
    return false;
  SuspendKinds Kinds;
  Kinds.TraverseStmt(const_cast<Stmt *>(userBody(*FD)));
  return Kinds.Awaits || !Kinds.Yields;
}

bool awaitNeedsParens(const Path &Walk, size_t Index) {
  std::optional<Path::Step> S = Walk.parentStep(Index);
  if (!S || !S->Child)
    return false;
  const DynTypedNode &P = S->Parent;
  const Expr *Child = S->Child;
  if (const auto *ME = P.get<MemberExpr>())
    return ME->getBase()->IgnoreImplicit() == Child->IgnoreImplicit();
  if (const auto *ASE = P.get<ArraySubscriptExpr>())
    return ASE->getBase()->IgnoreImplicit() == Child->IgnoreImplicit();
  if (const auto *UO = P.get<UnaryOperator>())
    return UO->isPostfix();
  if (const auto *Op = P.get<CXXOperatorCallExpr>()) {
    if (Op->getNumArgs() == 0 || Op->getArg(0)->IgnoreImplicit() != Child->IgnoreImplicit())
      return false;
    switch (Op->getOperator()) {
    case OO_Arrow:
    case OO_Subscript:
    case OO_Call:
      return true;
    case OO_PlusPlus:
    case OO_MinusMinus:
      return Op->getNumArgs() == 2; // the postfix form has a dummy int argument
    default:
      return false;
    }
  }
  if (const auto *CE = P.get<CallExpr>())
    return CE->getCallee()->IgnoreImplicit() == Child->IgnoreImplicit();
  if (P.get<CXXDependentScopeMemberExpr>() || P.get<UnresolvedMemberExpr>())
    return true;
  return false;
}

bool isPostfixExpression(const Expr &E) {
  const Expr *S = E.IgnoreImplicit();
  return isa<DeclRefExpr, MemberExpr, CallExpr, ParenExpr, ArraySubscriptExpr, CXXThisExpr,
             CXXDependentScopeMemberExpr, DependentScopeDeclRefExpr, UnresolvedLookupExpr,
             CXXTemporaryObjectExpr, CXXFunctionalCastExpr, CXXNamedCastExpr>(S);
}

const CallExpr *rangeBeginCall(const CXXForRangeStmt &For) {
  const auto *Begin = dyn_cast_or_null<DeclStmt>(For.getBeginStmt());
  const auto *Var = Begin && Begin->isSingleDecl() ? dyn_cast<VarDecl>(Begin->getSingleDecl())
                                                   : nullptr;
  if (!Var || !Var->getInit())
    return nullptr;
  return dyn_cast<CallExpr>(Var->getInit()->IgnoreImplicit());
}

const CXXRecordDecl *dependentRecord(QualType T, bool IsArrow) {
  if (T.isNull())
    return nullptr;
  T = T.getNonReferenceType();
  if (IsArrow && T->isPointerType())
    T = T->getPointeeType();
  const CXXRecordDecl *Record = nullptr;
  if (const auto *TST = T->getAs<TemplateSpecializationType>()) {
    if (const auto *CTD =
            dyn_cast_or_null<ClassTemplateDecl>(TST->getTemplateName().getAsTemplateDecl()))
      Record = CTD->getTemplatedDecl();
  } else {
    Record = T->getAsCXXRecordDecl();
  }
  return Record && Record->hasDefinition() ? Record->getDefinition() : nullptr;
}

CharSourceRange fileRange(SourceRange R, ASTContext &Ctx) {
  return Lexer::makeFileCharRange(CharSourceRange::getTokenRange(R), Ctx.getSourceManager(),
                                  Ctx.getLangOpts());
}

std::string sourceText(const Expr &E, ASTContext &Ctx) {
  CharSourceRange R = fileRange(E.getSourceRange(), Ctx);
  if (R.isInvalid())
    return "";
  return Lexer::getSourceText(R, Ctx.getSourceManager(), Ctx.getLangOpts()).str();
}

std::string textBetween(SourceLocation Begin, SourceLocation End, ASTContext &Ctx) {
  CharSourceRange R = Lexer::makeFileCharRange(CharSourceRange::getCharRange(Begin, End),
                                               Ctx.getSourceManager(), Ctx.getLangOpts());
  if (R.isInvalid())
    return "";
  return Lexer::getSourceText(R, Ctx.getSourceManager(), Ctx.getLangOpts()).str();
}

std::string shortText(llvm::StringRef Text) {
  std::string Flat;
  for (char C : Text) {
    if (C == '\n' || C == '\t' || C == '\r')
      C = ' ';
    if (C == ' ' && !Flat.empty() && Flat.back() == ' ')
      continue;
    Flat.push_back(C);
  }
  // Long receivers would drown the message; the location already points at them.
  constexpr size_t Limit = 40;
  if (Flat.empty() || Flat.size() > Limit)
    return "...";
  return Flat;
}

} // namespace clang::tidy::aorm
