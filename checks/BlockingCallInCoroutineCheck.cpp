#include "BlockingCallInCoroutineCheck.h"
#include "CoroutineContext.h"
#include "Intent.h"

#include "clang-tidy/utils/OptionsUtils.h"
#include "clang/AST/DeclTemplate.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/AST/StmtCXX.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"
#include "clang/Lex/Lexer.h"

using namespace clang::ast_matchers;

namespace clang::tidy::aorm {
namespace {

// Calls a function body makes on its own thread, in source order: nested lambdas run elsewhere
// (or later) and unevaluated operands run nowhere, so neither is entered.
class OwnCalls : public RecursiveASTVisitor<OwnCalls> {
public:
  std::vector<const CallExpr *> Calls;
  bool shouldVisitImplicitCode() const { return true; } // range-for's begin() call
  bool TraverseLambdaExpr(LambdaExpr *) { return true; }
  bool TraverseUnaryExprOrTypeTraitExpr(UnaryExprOrTypeTraitExpr *) { return true; }
  bool TraverseCXXNoexceptExpr(CXXNoexceptExpr *) { return true; }
  bool TraverseDecltypeTypeLoc(DecltypeTypeLoc) { return true; }
  bool TraverseRequiresExpr(RequiresExpr *) { return true; }
  bool VisitCallExpr(CallExpr *CE) {
    Calls.push_back(CE);
    return true;
  }
};

// The range-for whose hidden `__begin = __range.begin()` is Call, if it is one.
const CXXForRangeStmt *rangeForOfBeginCall(const CallExpr &Call, ASTContext &Ctx) {
  const auto *MC = dyn_cast<CXXMemberCallExpr>(&Call);
  if (!MC || !MC->getImplicitObjectArgument())
    return nullptr;
  const auto *Obj =
      dyn_cast_or_null<DeclRefExpr>(MC->getImplicitObjectArgument()->IgnoreImplicit());
  if (!Obj || !Obj->getDecl()->isImplicit())
    return nullptr;
  DynTypedNode Node = DynTypedNode::create(Call);
  for (int Depth = 0; Depth < 8; ++Depth) {
    DynTypedNodeList Parents = Ctx.getParents(Node);
    if (Parents.empty())
      return nullptr;
    if (const auto *For = Parents[0].get<CXXForRangeStmt>())
      return For;
    Node = Parents[0];
  }
  return nullptr;
}

std::string argsPlaceholder(const CallExpr &Call) {
  return Call.getNumArgs() == 0 ? "()" : "(...)";
}

} // namespace

BlockingCallInCoroutineCheck::BlockingCallInCoroutineCheck(StringRef Name,
                                                           ClangTidyContext *Context)
    : ClangTidyCheck(Name, Context), RawBlockingFunctions(Options.get("BlockingFunctions", "")) {
  for (StringRef Item : utils::options::parseStringList(RawBlockingFunctions)) {
    auto [Fn, Replacement] = Item.split('=');
    Fn = Fn.trim();
    if (Fn.empty()) {
      // An error, not a warning: a malformed entry would otherwise silently check nothing.
      configurationDiag("invalid entry '%0' in option 'BlockingFunctions' of check '%1': expected "
                        "'qualified::name' or 'qualified::name=replacement'",
                        DiagnosticIDs::Error)
          << Item << Name;
      continue;
    }
    Entries.push_back({Fn.str(), Replacement.trim().str()});
  }
}

void BlockingCallInCoroutineCheck::storeOptions(ClangTidyOptions::OptionMap &Opts) {
  Options.store(Opts, "BlockingFunctions", RawBlockingFunctions);
}

void BlockingCallInCoroutineCheck::onStartOfTranslationUnit() {
  Reaches.clear();
  ListedCache.clear();
  Reported.clear();
}

void BlockingCallInCoroutineCheck::registerMatchers(MatchFinder *Finder) {
  std::vector<StringRef> Names;
  for (const Entry &E : Entries)
    Names.push_back(E.Name);
  auto Listed = Names.empty() ? functionDecl(unless(anything())) : functionDecl(hasAnyName(Names));
  auto Blocking = functionDecl(anyOf(hasAormIntent(BlockingIntent.str()), Listed));
  // Not resolved until instantiation: judged by the candidates the template offers.
  auto Unresolved =
      expr(anyOf(cxxDependentScopeMemberExpr(), unresolvedMemberExpr(), unresolvedLookupExpr()));
  // check() decides whether the call runs inside a coroutine.
  Finder->addMatcher(
      callExpr(anyOf(callee(Blocking), callee(Unresolved)), unless(isExpansionInSystemHeader()))
          .bind("call"),
      this);
  // A sync function of this file may block through what it calls (the transitive case).
  Finder->addMatcher(
      callExpr(callee(functionDecl(unless(Blocking), isExpansionInMainFile()))).bind("call"), this);
  // A range-for over a dependent query set has no begin() call until instantiation.
  Finder->addMatcher(cxxForRangeStmt(hasRangeInit(expr(hasLazyType()))).bind("dependent-for"),
                     this);
}

std::optional<BlockingCallInCoroutineCheck::Blocker>
BlockingCallInCoroutineCheck::blockerOf(const FunctionDecl *FD, ASTContext &Ctx) const {
  if (!FD)
    return std::nullopt;
  if (auto Twin = findIntent(FD, BlockingIntent))
    return Blocker{Twin->str(), false};
  if (Entries.empty())
    return std::nullopt;
  // Matching names is the costly part; every call site of a function asks the same question.
  auto [It, Inserted] = ListedCache.try_emplace(FD->getCanonicalDecl());
  if (Inserted)
    for (const Entry &E : Entries)
      if (!match(functionDecl(hasName(E.Name)), *FD, Ctx).empty()) {
        It->second = Blocker{E.Replacement, StringRef(E.Replacement).contains("::")};
        break;
      }
  return It->second;
}

// A call whose callee is not resolved yet (dependent receiver or arguments): blocking when every
// candidate the template offers is.
std::optional<BlockingCallInCoroutineCheck::Blocker>
BlockingCallInCoroutineCheck::dependentBlocker(const Expr *Callee, ASTContext &Ctx) const {
  llvm::SmallVector<const NamedDecl *, 4> Candidates;
  if (const auto *DM = dyn_cast<CXXDependentScopeMemberExpr>(Callee)) {
    QualType Base = DM->getBaseType();
    if (DM->isArrow() && !Base.isNull() && Base->isPointerType())
      Base = Base->getPointeeType();
    const CXXRecordDecl *Record = nullptr;
    if (Base.isNull())
      return std::nullopt;
    if (const auto *TST = Base->getAs<TemplateSpecializationType>()) {
      if (const auto *CTD =
              dyn_cast_or_null<ClassTemplateDecl>(TST->getTemplateName().getAsTemplateDecl()))
        Record = CTD->getTemplatedDecl();
    } else {
      Record = Base->getAsCXXRecordDecl();
    }
    if (!Record || !Record->hasDefinition())
      return std::nullopt;
    for (const NamedDecl *D : Record->getDefinition()->lookup(DM->getMember()))
      Candidates.push_back(D);
  } else if (const auto *OE = dyn_cast<OverloadExpr>(Callee)) {
    for (const NamedDecl *D : OE->decls())
      Candidates.push_back(D);
  }
  std::optional<Blocker> Result;
  for (const NamedDecl *D : Candidates) {
    const FunctionDecl *FD = D->getAsFunction();
    std::optional<Blocker> B = blockerOf(FD, Ctx);
    if (!B)
      return std::nullopt;
    if (Result && Result->Twin != B->Twin)
      return std::nullopt;
    Result = B;
  }
  return Result;
}

const BlockingCallInCoroutineCheck::Reach &
BlockingCallInCoroutineCheck::reach(const FunctionDecl *FD, ASTContext &Ctx) {
  FD = FD->getCanonicalDecl();
  auto [It, Inserted] = Reaches.try_emplace(FD);
  if (!Inserted)
    return It->second; // done, or on the current path (a cycle: counts as not blocking yet)
  It->second.Visiting = true;
  const FunctionDecl *Def = nullptr;
  const SourceManager &SM = Ctx.getSourceManager();
  // Only sync functions written in this file are followed; the runtime declares its own intent
  // and offloading functions run their callable elsewhere.
  Reach Result;
  if (FD->hasBody(Def) && SM.isInMainFile(SM.getExpansionLoc(Def->getLocation())) &&
      !isCoroutine(Def) && !isAwaitableType(Def->getReturnType()) &&
      !findIntent(Def, OffloadsIntent)) {
    OwnCalls Visitor;
    Visitor.TraverseStmt(const_cast<Stmt *>(Def->getBody()));
    for (const CallExpr *Call : Visitor.Calls) {
      const FunctionDecl *Callee = Call->getDirectCallee();
      if (!Callee)
        continue;
      if (blockerOf(Callee, Ctx)) {
        Result = {false, true, {Call, Callee}};
        break;
      }
      if (reach(Callee, Ctx).Blocks) {
        Result = {false, true, {Call, Callee}};
        break;
      }
    }
  }
  // The recursive calls may have grown the map; look the slot up again.
  Reach &Slot = Reaches[FD];
  Slot = Result;
  return Slot;
}

bool BlockingCallInCoroutineCheck::firstReport(SourceLocation Loc, SourceLocation Other) {
  return Reported.insert((uint64_t(Loc.getRawEncoding()) << 32) | Other.getRawEncoding()).second;
}

void BlockingCallInCoroutineCheck::check(const MatchFinder::MatchResult &Result) {
  ASTContext &Ctx = *Result.Context;
  if (const auto *For = Result.Nodes.getNodeAs<CXXForRangeStmt>("dependent-for")) {
    const Expr *Init = For->getRangeInit();
    if (For->getBeginStmt() || !Init || !Init->isTypeDependent() || !isLazyType(Init->getType()))
      return;
    QualType T = Init->getType().getNonReferenceType();
    const auto *TST = T->getAs<TemplateSpecializationType>();
    const auto *CTD =
        TST ? dyn_cast_or_null<ClassTemplateDecl>(TST->getTemplateName().getAsTemplateDecl())
            : nullptr;
    if (!CTD || !CTD->getTemplatedDecl()->hasDefinition())
      return;
    Enclosing Where = findEnclosing(*For, Ctx);
    if (!isCoroutine(Where.Function))
      return;
    for (const NamedDecl *D :
         CTD->getTemplatedDecl()->getDefinition()->lookup(&Ctx.Idents.get("begin")))
      if (auto B = blockerOf(D->getAsFunction(), Ctx)) {
        if (!firstReport(Init->getBeginLoc()))
          return;
        std::string Obj = sourceText(*Init, Ctx);
        auto Await = [&](const std::string &Object) {
          return "co_await " + (isPostfixExpression(*Init) ? Object : "(" + Object + ")") + "." +
                 B->Twin + "()";
        };
        auto D2 = diag(Init->getBeginLoc(), "range-for over '%0' in %1 blocks the event loop; %2")
                  << shortText(Obj) << describeFunction(Where.Function, "coroutine")
                  << (B->Twin.empty() ? std::string("move it into 'co_await "
                                                    "aorm::sync_to_async(...)'")
                                      : "use '" + Await(shortText(Obj)) + "' instead");
        CharSourceRange R = fileRange(Init->getSourceRange(), Ctx);
        if (!B->Twin.empty() && !Obj.empty() && R.isValid() && !Where.InHandler) {
          bool Wrap = !isPostfixExpression(*Init);
          D2 << FixItHint::CreateInsertion(R.getBegin(), Wrap ? "co_await (" : "co_await ")
             << FixItHint::CreateInsertion(R.getEnd(),
                                           std::string(Wrap ? ")" : "") + "." + B->Twin + "()");
        }
        return;
      }
    return;
  }

  const auto *Call = Result.Nodes.getNodeAs<CallExpr>("call");
  // System headers are never reported by clang-tidy; skipping them early keeps the check cheap.
  if (!Call || Call->getBeginLoc().isInvalid() ||
      Ctx.getSourceManager().isInSystemHeader(Call->getBeginLoc()))
    return;
  const FunctionDecl *Callee = Call->getDirectCallee();
  std::optional<Blocker> B;
  if (Callee)
    B = blockerOf(Callee, Ctx);
  else if (const Expr *CalleeExpr = Call->getCallee())
    B = dependentBlocker(CalleeExpr->IgnoreImplicit(), Ctx);
  bool Transitive = false;
  if (!B) {
    // Cheap filters first: only calls to sync functions written in this file can lead on.
    const FunctionDecl *Def = nullptr;
    const SourceManager &SM = Ctx.getSourceManager();
    if (!Callee || !Callee->hasBody(Def) ||
        !SM.isInMainFile(SM.getExpansionLoc(Def->getLocation())))
      return;
    Transitive = true;
  }
  Enclosing Where = findEnclosing(*Call, Ctx);
  if (Where.Unevaluated || !isCoroutine(Where.Function))
    return;
  if (Transitive) {
    if (reach(Callee, Ctx).Blocks)
      diagnoseTransitive(*Call, Callee, Where.Function, Ctx);
    return;
  }
  diagnoseDirect(*Call, Callee, *B, Where.Function, !Where.InHandler, Ctx);
}

void BlockingCallInCoroutineCheck::diagnoseDirect(const CallExpr &Call, const FunctionDecl *Callee,
                                                  const Blocker &B, const FunctionDecl *Coroutine,
                                                  bool FixAllowed, ASTContext &Ctx) {
  const std::string Where = describeFunction(Coroutine, "coroutine");
  const bool HasTwin = !B.Twin.empty();
  FixAllowed = FixAllowed && HasTwin;
  const std::string Offload = "move it into 'co_await aorm::sync_to_async(...)'";
  auto Use = [](const std::string &Text) { return "use '" + Text + "' instead"; };
  const SourceManager &SM = Ctx.getSourceManager();
  const LangOptions &LO = Ctx.getLangOpts();

  // Implicit evaluation of a query set: range-for, operator[], conversion to bool. The fix
  // awaits the twin on the receiver and keeps the rest of the expression.
  auto OnReceiver = [&](const Expr &Site, const Expr &Receiver, llvm::StringRef What,
                        bool ParensAround, llvm::StringRef Tail) {
    if (!firstReport(Site.getBeginLoc()))
      return;
    std::string Obj = sourceText(Receiver, Ctx);
    auto Await = [&](llvm::StringRef Object) {
      std::string Text = "co_await " +
                         (isPostfixExpression(Receiver) ? Object.str() : "(" + Object.str() + ")") +
                         "." + B.Twin + "()";
      return ParensAround ? "(" + Text + ")" : Text;
    };
    auto D = diag(Site.getBeginLoc(), "%0 in %1 blocks the event loop; %2")
             << (shortText(Obj) == "..." ? (What + " a query set").str()
                                         : (What + " '" + shortText(Obj) + "'").str())
             << Where << (HasTwin ? Use(Await(shortText(Obj)) + Tail.str()) : Offload);
    // Insertions around the receiver rather than a rewrite of it, so fixes inside it (a nested
    // blocking call) still apply.
    CharSourceRange R = fileRange(Receiver.getSourceRange(), Ctx);
    if (!FixAllowed || Obj.empty() || R.isInvalid())
      return;
    bool Wrap = !isPostfixExpression(Receiver);
    D << FixItHint::CreateInsertion(R.getBegin(), std::string(ParensAround ? "(" : "") +
                                                      "co_await " + (Wrap ? "(" : ""))
      << FixItHint::CreateInsertion(R.getEnd(), std::string(Wrap ? ")" : "") + "." + B.Twin + "()" +
                                                    (ParensAround ? ")" : ""));
  };

  if (const CXXForRangeStmt *For = rangeForOfBeginCall(Call, Ctx)) {
    if (const Expr *Init = For->getRangeInit())
      OnReceiver(*Init, *Init, "range-for over", false, "");
    return;
  }
  if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(&Call);
      Op && isa_and_nonnull<CXXMethodDecl>(Callee) && Op->getNumArgs() > 0) {
    std::string What = "'operator" + std::string(getOperatorSpelling(Op->getOperator())) + "' on";
    OnReceiver(Call, *Op->getArg(0), What, true, Op->getOperator() == OO_Subscript ? "[...]" : "");
    return;
  }
  if (const auto *MC = dyn_cast<CXXMemberCallExpr>(&Call);
      MC && isa_and_nonnull<CXXConversionDecl>(Callee)) {
    const Expr *Obj = MC->getImplicitObjectArgument();
    if (!Obj)
      return;
    std::string To =
        cast<CXXConversionDecl>(Callee)->getConversionType().getAsString(Ctx.getPrintingPolicy());
    OnReceiver(*Obj, *Obj, "conversion to '" + To + "' of", awaitNeedsParens(Call, Ctx), "");
    return;
  }

  // An explicit call: `recv.get(q)` / `ns::get(q)` becomes `co_await recv.aget(q)`.
  SourceLocation NameLoc;
  const Expr *CalleeExpr = Call.getCallee()->IgnoreImplicit();
  if (const auto *ME = dyn_cast<MemberExpr>(CalleeExpr))
    NameLoc = ME->getMemberLoc();
  else if (const auto *DRE = dyn_cast<DeclRefExpr>(CalleeExpr))
    NameLoc = DRE->getLocation();
  else if (const auto *DM = dyn_cast<CXXDependentScopeMemberExpr>(CalleeExpr))
    NameLoc = DM->getMemberLoc();
  else if (const auto *OE = dyn_cast<OverloadExpr>(CalleeExpr))
    NameLoc = OE->getNameLoc();
  else
    FixAllowed = false;

  // Nested calls can share a start (`Post::objects.get(q).author.get()`); the name tells them
  // apart.
  if (!firstReport(Call.getBeginLoc(), Call.getExprLoc()))
    return;
  std::string Name =
      Callee ? Callee->getNameAsString()
             : (NameLoc.isValid()
                    ? Lexer::getSourceText(CharSourceRange::getTokenRange(NameLoc), SM, LO).str()
                    : std::string("call"));
  std::string Prefix; // receiver and qualifier as written, up to the callee's name
  if (NameLoc.isValid())
    Prefix = textBetween(Call.getBeginLoc(), NameLoc, Ctx);
  bool Parens = awaitNeedsParens(Call, Ctx);
  std::string Shown = "co_await " +
                      (B.QualifiedTwin ? B.Twin : (Prefix.size() > 40 ? "..." : Prefix) + B.Twin) +
                      argsPlaceholder(Call);
  if (Prefix.empty() && NameLoc.isValid() && NameLoc != Call.getBeginLoc())
    Shown = "co_await ..." + B.Twin + argsPlaceholder(Call); // receiver hidden in a macro
  auto D = diag(Call.getBeginLoc(), "call to '%0' in %1 blocks the event loop; %2")
           << Name << Where << (HasTwin ? Use(Shown) : Offload);
  if (!FixAllowed || NameLoc.isInvalid() || Call.getBeginLoc().isMacroID() ||
      Call.getEndLoc().isMacroID() || NameLoc.isMacroID())
    return;

  // Small edits so that fixes of nested calls do not overlap: the callee's name (or, for a
  // qualified replacement of a free function, the whole callee), `co_await ` in front, and a
  // closing parenthesis when precedence needs one.
  CharSourceRange Renamed;
  if (B.QualifiedTwin) {
    if (!isa<DeclRefExpr, OverloadExpr>(CalleeExpr))
      return; // "ns::f" cannot stand in for a member call
    Renamed = Lexer::makeFileCharRange(
        CharSourceRange::getTokenRange(CalleeExpr->getBeginLoc(), NameLoc), SM, LO);
  } else {
    Renamed = Lexer::makeFileCharRange(CharSourceRange::getTokenRange(NameLoc), SM, LO);
  }
  SourceLocation End = Lexer::getLocForEndOfToken(Call.getEndLoc(), 0, SM, LO);
  if (Renamed.isInvalid() || (Parens && End.isInvalid()))
    return;
  std::string Await = Parens ? "(co_await " : "co_await ";
  if (Renamed.getBegin() == Call.getBeginLoc()) {
    D << FixItHint::CreateReplacement(Renamed, Await + B.Twin);
  } else {
    D << FixItHint::CreateInsertion(Call.getBeginLoc(), Await);
    D << FixItHint::CreateReplacement(Renamed, B.Twin);
  }
  if (Parens)
    D << FixItHint::CreateInsertion(End, ")");
}

void BlockingCallInCoroutineCheck::diagnoseTransitive(const CallExpr &Call,
                                                      const FunctionDecl *Callee,
                                                      const FunctionDecl *Coroutine,
                                                      ASTContext &Ctx) {
  // Walk the chain down to the blocking call for the message and the notes.
  llvm::SmallVector<std::pair<const FunctionDecl *, Step>, 4> Chain;
  const FunctionDecl *At = Callee;
  for (int Guard = 0; Guard < 64; ++Guard) {
    const Reach &R = reach(At, Ctx);
    if (!R.Blocks)
      break;
    Chain.push_back({At, R.First});
    if (blockerOf(R.First.Callee, Ctx))
      break;
    At = R.First.Callee;
  }
  if (Chain.empty() || !firstReport(Call.getBeginLoc()))
    return;
  const FunctionDecl *Blocking = Chain.back().second.Callee;
  diag(Call.getBeginLoc(), "call to '%0' in %1 blocks the event loop: it reaches blocking "
                           "'%2'; use 'co_await aorm::sync_to_async(...)' around it instead")
      << displayName(Callee) << describeFunction(Coroutine, "coroutine")
      << Blocking->getNameAsString();
  for (const auto &[Fn, S] : Chain) {
    bool Last = &S == &Chain.back().second;
    diag(S.Call->getBeginLoc(), Last ? "'%0' calls blocking '%1' here" : "'%0' calls '%1' here",
         DiagnosticIDs::Note)
        << displayName(Fn) << displayName(S.Callee);
  }
}

} // namespace clang::tidy::aorm
