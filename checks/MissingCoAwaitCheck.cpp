#include "MissingCoAwaitCheck.h"
#include "CoroutineContext.h"
#include "Intent.h"

#include "clang/AST/ExprCXX.h"
#include "clang/AST/StmtCXX.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"

using namespace clang::ast_matchers;

namespace clang::tidy::aorm {
namespace {

// The value of E is thrown away: it is an expression statement (or an explicit cast to void).
bool isDiscarded(const Expr &E, ASTContext &Ctx) {
  const Expr *Child = nullptr;
  DynTypedNode P = semanticParent(E, Ctx, &Child, /*SkipParens=*/true);
  if (const auto *Cast = P.get<ExplicitCastExpr>())
    return Cast->getType()->isVoidType();
  if (const auto *Comma = P.get<BinaryOperator>())
    return Comma->isCommaOp() &&
           Comma->getLHS()->IgnoreParenImpCasts() == Child->IgnoreParenImpCasts();
  if (P.get<Expr>())
    return false;
  if (P.get<CompoundStmt>() || P.get<LabelStmt>() || P.get<AttributedStmt>() || P.get<SwitchCase>())
    return true;
  const Stmt *C = Child;
  if (const auto *If = P.get<IfStmt>())
    return If->getThen() == C || If->getElse() == C;
  if (const auto *For = P.get<ForStmt>())
    return For->getBody() == C || For->getInc() == C;
  if (const auto *While = P.get<WhileStmt>())
    return While->getBody() == C;
  if (const auto *Do = P.get<DoStmt>())
    return Do->getBody() == C;
  if (const auto *RangeFor = P.get<CXXForRangeStmt>())
    return RangeFor->getBody() == C;
  return false;
}

// Whether this mention of a task variable awaits it or hands it to someone who can.
bool consumes(const DeclRefExpr &Ref, ASTContext &Ctx) {
  const Expr *Child = nullptr;
  DynTypedNode P = semanticParent(Ref, Ctx, &Child, /*SkipParens=*/true);
  if (P.get<CoroutineSuspendExpr>() || P.get<DependentCoawaitExpr>() || P.get<ReturnStmt>() ||
      P.get<CoreturnStmt>() || P.get<VarDecl>() || P.get<InitListExpr>() ||
      P.get<ParenListExpr>() || P.get<CXXUnresolvedConstructExpr>())
    return true;
  if (const auto *Op = P.get<CXXOperatorCallExpr>())
    // `t = other` overwrites t; any other operator sees its value.
    return !(Op->getOperator() == OO_Equal && Op->getArg(0)->IgnoreImplicit() == Child);
  if (P.get<CallExpr>() || P.get<CXXConstructExpr>())
    return true;
  // A member call that yields something other than a flag (task.handle()) hands the frame to
  // code that drives it by hand; `task.valid()` does not.
  if (P.get<MemberExpr>()) {
    DynTypedNodeList Up = Ctx.getParents(P);
    if (const auto *MC = Up.empty() ? nullptr : Up[0].get<CXXMemberCallExpr>())
      return !MC->getType()->isBooleanType() && !MC->getType()->isVoidType();
  }
  if (const auto *BO = P.get<BinaryOperator>())
    return BO->isAssignmentOp() && BO->getRHS()->IgnoreImplicit() == Child;
  return false;
}

// Whether no mention of Var consumes the task; Mentioned tells whether there is any mention.
bool isNeverConsumed(const VarDecl &Var, const FunctionDecl &Fn, ASTContext &Ctx, bool &Mentioned) {
  if (!Fn.getBody())
    return false;
  auto Refs =
      match(findAll(declRefExpr(to(varDecl(equalsNode(&Var)))).bind("ref")), *Fn.getBody(), Ctx);
  Mentioned = !Refs.empty();
  for (const auto &Bound : Refs)
    if (consumes(*Bound.getNodeAs<DeclRefExpr>("ref"), Ctx))
      return false;
  return true;
}

std::string calleeName(const CallExpr &Call) {
  if (const FunctionDecl *FD = Call.getDirectCallee())
    return displayName(FD);
  return "call";
}

} // namespace

void MissingCoAwaitCheck::registerMatchers(MatchFinder *Finder) {
  // A call that yields an awaitable. Whether it is discarded or stored unused depends on its
  // parents and on later uses of the variable, which check() works out.
  Finder->addMatcher(callExpr(hasAwaitableType(), unless(isExpansionInSystemHeader())).bind("call"),
                     this);
}

void MissingCoAwaitCheck::check(const MatchFinder::MatchResult &Result) {
  ASTContext &Ctx = *Result.Context;
  const auto *Call = Result.Nodes.getNodeAs<CallExpr>("call");
  if (!Call || Call->getBeginLoc().isInvalid() || Call->isTypeDependent())
    return;
  const FunctionDecl *Callee = Call->getDirectCallee();
  // Only new awaitables count: an a-method may return something else (aiterator's iterator),
  // and a reference (vector<Task>::emplace_back) names a task that lives elsewhere.
  if (!Call->isPRValue() || !isAwaitableType(Call->getType()) ||
      Ctx.getSourceManager().isInSystemHeader(Call->getBeginLoc()))
    return;
  std::optional<StringRef> SyncTwin = Callee ? findIntent(Callee, AsyncIntent) : std::nullopt;
  Enclosing Where = findEnclosing(*Call, Ctx);
  if (!Where.Function || Where.Unevaluated || Where.Implicit)
    return;

  const VarDecl *Stored = nullptr;
  bool Mentioned = false;
  if (!isDiscarded(*Call, Ctx)) {
    DynTypedNode P = semanticParent(*Call, Ctx, nullptr, /*SkipParens=*/true);
    const auto *Var = P.get<VarDecl>();
    if (!Var || Var->isImplicit() || !Var->hasLocalStorage() || isa<ParmVarDecl>(Var) ||
        Var->getType()->isReferenceType() ||
        !isNeverConsumed(*Var, *Where.Function, Ctx, Mentioned))
      return;
    Stored = Var;
  }
  // Instantiations of one template share locations; nested calls share a start, not a name.
  if (!Reported
           .insert((uint64_t(Call->getBeginLoc().getRawEncoding()) << 32) |
                   Call->getExprLoc().getRawEncoding())
           .second)
    return;

  std::string Name = calleeName(*Call);
  std::string Fate = Stored ? "is stored in '" + Stored->getNameAsString() +
                                  "' and never awaited, moved, returned or passed on"
                            : std::string("is discarded");
  if (!isCoroutine(Where.Function)) {
    // Outside a coroutine nothing can await it: point at the sync twin or aorm::run.
    std::string Instead =
        SyncTwin && !SyncTwin->empty()
            ? "call the blocking '" + SyncTwin->str() +
                  "' instead, or drive the task with "
                  "'aorm::run(...)'"
            : std::string("drive it with 'aorm::run(...)' or make the caller a coroutine");
    diag(Call->getBeginLoc(), "task returned by '%0' %1 in %2, so it never runs; %3")
        << Name << Fate << describeFunction(Where.Function, "non-coroutine") << Instead;
    return;
  }

  std::string Text = shortText(sourceText(*Call, Ctx));
  if (Text == "...")
    Text = "..." + Name + (Call->getNumArgs() ? "(...)" : "()");
  auto D = diag(Call->getBeginLoc(),
                "task returned by '%0' %1, so it never runs; use 'co_await %2' instead")
           << Name << Fate << Text;
  // `auto t = co_await x` changes t's type: safe only when t is declared `auto` and nothing
  // else uses it as a task (an explicit Task<T> declaration, or t.valid(), would not compile).
  bool Fixable = !Where.InHandler && Call->getBeginLoc().isFileID() &&
                 (!Stored || (!Mentioned && Stored->getType()->getContainedAutoType()));
  if (Fixable)
    D << FixItHint::CreateInsertion(Call->getBeginLoc(), "co_await ");
}

} // namespace clang::tidy::aorm
