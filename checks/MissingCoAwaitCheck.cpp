#include "MissingCoAwaitCheck.h"
#include "CoroutineContext.h"
#include "FixSafety.h"
#include "Intent.h"
#include "QualifiedName.h"

#include "clang/AST/ExprCXX.h"
#include "clang/AST/StmtCXX.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"

using namespace clang::ast_matchers;

namespace clang::tidy::aorm {
namespace {

bool isStdFunction(const FunctionDecl *FD, llvm::StringRef Name) {
  return FD && FD->isInStdNamespace() && FD->getIdentifier() && FD->getName() == Name;
}

// `std::ignore = x`: the value is dropped on purpose, and with it the task.
bool isStdIgnore(const Expr *E) {
  const auto *Ref = E ? dyn_cast<DeclRefExpr>(E->IgnoreImplicit()) : nullptr;
  const auto *Var = Ref ? dyn_cast<VarDecl>(Ref->getDecl()) : nullptr;
  return Var && Var->isInStdNamespace() && Var->getIdentifier() && Var->getName() == "ignore";
}

// How the value of the expression at Walk[Index] is thrown away, if it is: "is discarded" for an
// expression statement or a cast to void, "is assigned to 'std::ignore'"; empty otherwise.
std::string discardedAs(const Path &Walk, size_t Index) {
  std::optional<Path::Step> S = Walk.parentStep(Index, /*SkipParens=*/true);
  if (!S || !S->Child)
    return "";
  const DynTypedNode &P = S->Parent;
  const Stmt *C = S->Child;
  const std::string Discarded = "is discarded";
  if (const auto *Cast = P.get<ExplicitCastExpr>())
    return Cast->getType()->isVoidType() ? Discarded : "";
  if (const auto *Comma = P.get<BinaryOperator>())
    return Comma->isCommaOp() && Comma->getLHS()->IgnoreParenImpCasts() == C ? Discarded : "";
  if (const auto *Op = P.get<CXXOperatorCallExpr>())
    return Op->getOperator() == OO_Equal && Op->getNumArgs() == 2 && isStdIgnore(Op->getArg(0))
               ? "is assigned to 'std::ignore'"
               : "";
  if (P.get<Expr>())
    return "";
  if (P.get<CompoundStmt>() || P.get<LabelStmt>() || P.get<AttributedStmt>() || P.get<SwitchCase>())
    return Discarded;
  bool Body = false;
  if (const auto *If = P.get<IfStmt>())
    Body = If->getThen() == C || If->getElse() == C;
  else if (const auto *For = P.get<ForStmt>())
    Body = For->getBody() == C || For->getInc() == C;
  else if (const auto *While = P.get<WhileStmt>())
    Body = While->getBody() == C;
  else if (const auto *Do = P.get<DoStmt>())
    Body = Do->getBody() == C;
  else if (const auto *RangeFor = P.get<CXXForRangeStmt>())
    Body = RangeFor->getBody() == C;
  return Body ? Discarded : "";
}

// How the mention of a task variable at Walk.back() treats the task.
UseKind useKind(const Path &Walk) {
  std::optional<Path::Step> S = Walk.parentStep(Walk.size() - 1, /*SkipParens=*/true);
  if (!S || !S->Child)
    return UseKind::Inspect;
  const DynTypedNode &P = S->Parent;
  const Expr *Child = S->Child;
  if (const auto *Call = P.get<CallExpr>();
      Call && Call->getNumArgs() == 1 &&
      (isStdFunction(Call->getDirectCallee(), "move") ||
       isStdFunction(Call->getDirectCallee(), "forward"))) {
    // std::move(t): what receives the rvalue decides.
    std::optional<Path::Step> Up = Walk.parentStep(S->Index, /*SkipParens=*/true);
    if (Up && (Up->Parent.get<CoroutineSuspendExpr>() || Up->Parent.get<DependentCoawaitExpr>()))
      return UseKind::Await;
    if (Up && (Up->Parent.get<ReturnStmt>() || Up->Parent.get<CoreturnStmt>()))
      return UseKind::Consume;
    return UseKind::Move;
  }
  if (P.get<CoroutineSuspendExpr>() || P.get<DependentCoawaitExpr>())
    return UseKind::Await;
  if (P.get<ReturnStmt>() || P.get<CoreturnStmt>() || P.get<VarDecl>() || P.get<InitListExpr>() ||
      P.get<ParenListExpr>() || P.get<CXXUnresolvedConstructExpr>())
    return UseKind::Consume;
  if (const auto *Op = P.get<CXXOperatorCallExpr>())
    // `t = other` overwrites t; any other operator sees its value.
    return Op->getOperator() == OO_Equal && Op->getArg(0)->IgnoreImplicit() == Child
               ? UseKind::Overwrite
               : UseKind::Consume;
  if (P.get<CallExpr>() || P.get<CXXConstructExpr>())
    return UseKind::Consume;
  // A member call that yields something other than a flag (task.handle()) hands the frame to
  // code that drives it by hand; `task.valid()` does not.
  if (P.get<MemberExpr>() && S->Index > 0)
    if (const auto *MC = Walk[S->Index - 1].get<CXXMemberCallExpr>())
      return !MC->getType()->isBooleanType() && !MC->getType()->isVoidType() ? UseKind::Consume
                                                                             : UseKind::Inspect;
  if (const auto *BO = P.get<BinaryOperator>(); BO && BO->isAssignmentOp())
    return BO->getRHS()->IgnoreImplicit() == Child ? UseKind::Consume : UseKind::Overwrite;
  return UseKind::Inspect;
}

// The walk of one function body: tasks made there and every mention of the variables that hold
// them.
class TaskWalker : public BodyWalker<TaskWalker> {
public:
  explicit TaskWalker(ASTContext &Ctx)
      : BodyWalker(
            Ctx, [](const FunctionDecl &) { return false; }, /*EnterInPlaceLambdas=*/false) {}

  std::vector<MissingCoAwaitCheck::Made> Tasks;
  llvm::DenseMap<const VarDecl *, std::vector<TaskUse>> Uses;

  bool VisitCallExpr(CallExpr *Call) {
    // Only new awaitables count: an a-method may return something else (aiterator's iterator),
    // and a reference (vector<Task>::emplace_back) names a task that lives elsewhere.
    if (Call->isPRValue() && !Call->isTypeDependent() && isAwaitableType(Call->getType()))
      made(*Call);
    return true;
  }
  // `co_await sync_to_async([] { return post.asave(); })` yields a task nobody runs.
  bool VisitCoawaitExpr(CoawaitExpr *Await) {
    if (!Await->isImplicit() && Await->isPRValue() && !Await->isTypeDependent() &&
        isAwaitableType(Await->getType()))
      made(*Await);
    return true;
  }
  bool VisitDeclRefExpr(DeclRefExpr *Ref) {
    const auto *Var = dyn_cast<VarDecl>(Ref->getDecl());
    auto It = Var ? Uses.find(Var) : Uses.end();
    if (It != Uses.end())
      It->second.push_back({Ref, useKind(Walk)});
    return true;
  }

private:
  void made(const Expr &Producer) {
    const SourceManager &SM = Ctx.getSourceManager();
    if (Producer.getBeginLoc().isInvalid() || SM.isInSystemHeader(Producer.getBeginLoc()))
      return;
    MissingCoAwaitCheck::Made M;
    M.Producer = &Producer;
    M.Fate = discardedAs(Walk, Walk.size() - 1);
    // `std::ignore = co_await t` does not compile for a task of void; the intent is unclear.
    M.FixAllowed = Here.canAwait() && Producer.getBeginLoc().isFileID() &&
                   M.Fate.find("std::ignore") == std::string::npos;
    if (M.Fate.empty()) {
      std::optional<Path::Step> S = Walk.parentStep(Walk.size() - 1, /*SkipParens=*/true);
      const VarDecl *Var = S ? S->Parent.get<VarDecl>() : nullptr;
      if (!Var || Var->isImplicit() || !Var->hasLocalStorage() || isa<ParmVarDecl>(Var))
        return; // awaited, returned or handed on right here
      M.Stored = Var;
      if (S->Index > 0)
        M.Decl = Walk[S->Index - 1].get<DeclStmt>();
      Uses.try_emplace(Var);
    }
    Tasks.push_back(M);
  }
};

std::string producerName(const Expr &E) {
  const Expr *Inner = &E;
  std::string Prefix;
  if (const auto *Await = dyn_cast<CoawaitExpr>(&E)) {
    Inner = Await->getOperand()->IgnoreImplicit();
    Prefix = "co_await ";
  }
  if (const auto *Call = dyn_cast<CallExpr>(Inner))
    if (const FunctionDecl *FD = Call->getDirectCallee())
      return Prefix + displayName(FD);
  return Prefix + "call";
}

} // namespace

void MissingCoAwaitCheck::registerMatchers(MatchFinder *Finder) {
  // The rule: in every function of user code, a task that is made must be awaited, on every
  // path, once. Lambdas are functions of their own.
  Finder->addMatcher(functionDecl(isDefinition(), hasBody(stmt()),
                                  unless(cxxMethodDecl(ofClass(cxxRecordDecl(isLambda())))),
                                  unless(isExpansionInSystemHeader()))
                         .bind("function"),
                     this);
  Finder->addMatcher(lambdaExpr(unless(isExpansionInSystemHeader())).bind("lambda"), this);
}

void MissingCoAwaitCheck::check(const MatchFinder::MatchResult &Result) {
  llvm::SmallVector<const FunctionDecl *, 2> Functions;
  if (const auto *Fn = Result.Nodes.getNodeAs<FunctionDecl>("function"))
    Functions.push_back(Fn);
  if (const auto *LE = Result.Nodes.getNodeAs<LambdaExpr>("lambda"))
    Functions = lambdaBodies(*LE);
  for (const FunctionDecl *Fn : Functions)
    if (Fn->getBody())
      checkFunction(*Fn, *Result.Context);
}

void MissingCoAwaitCheck::checkFunction(const FunctionDecl &Fn, ASTContext &Ctx) {
  TaskWalker Walker(Ctx);
  Walker.walk(userBody(Fn));
  if (Walker.Tasks.empty())
    return;
  // The graph is built only for a function that stores a task and later does something with it.
  std::unique_ptr<TaskFlow> Flow;
  for (const Made &M : Walker.Tasks) {
    llvm::ArrayRef<TaskUse> Uses;
    if (M.Stored)
      Uses = Walker.Uses[M.Stored];
    if (!Flow && !Uses.empty() && isLoopCoroutine(&Fn))
      Flow = std::make_unique<TaskFlow>(*userBody(Fn), Ctx);
    diagnose(Fn, M, Uses, Flow.get(), Ctx);
  }
}

void MissingCoAwaitCheck::diagnose(const FunctionDecl &Fn, const Made &M,
                                   llvm::ArrayRef<TaskUse> Uses, const TaskFlow *Flow,
                                   ASTContext &Ctx) {
  const Expr &Producer = *M.Producer;
  bool Consumed = llvm::any_of(Uses, [](const TaskUse &U) {
    return U.Kind == UseKind::Await || U.Kind == UseKind::Move || U.Kind == UseKind::Consume;
  });
  std::string Name = producerName(Producer);
  std::string Subject = (isa<CoawaitExpr>(Producer) ? "task yielded by '" : "task returned by '") +
                        Name + "'";
  if (M.Stored && Consumed) {
    // Used as a task somewhere: ask the paths.
    if (!Flow || !Flow->valid())
      return;
    if (M.Decl && Flow->leavesUnawaited(*M.Decl, Uses)) {
      if (!Reported.first(Producer.getBeginLoc(), Producer.getExprLoc()))
        return;
      diag(Producer.getBeginLoc(), "%0 is stored in '%1' and not awaited on "
                                   "every path, so on some paths it never runs; await it on each "
                                   "path, or before the paths part")
          << Subject << M.Stored->getName() << Producer.getSourceRange();
      for (const TaskUse &U : Uses)
        if (U.Kind != UseKind::Inspect && U.Kind != UseKind::Overwrite) {
          diag(U.Ref->getLocation(), "'%0' is handled here, on some paths only",
               DiagnosticIDs::Note)
              << M.Stored->getName() << U.Ref->getSourceRange();
          break;
        }
    }
    for (const TaskUse &First : Uses) {
      if (First.Kind != UseKind::Await && First.Kind != UseKind::Move)
        continue;
      std::optional<TaskUse> Again = Flow->reusedAfter(First, Uses);
      if (!Again || !Reported.first(Again->Ref->getLocation()))
        continue;
      bool Moved = First.Kind == UseKind::Move;
      diag(Again->Ref->getLocation(),
           Moved ? "task '%0' is used after it was moved from; the task it held is gone"
                 : "task '%0' is awaited again after it was awaited; a task runs only once")
          << M.Stored->getName() << Again->Ref->getSourceRange();
      diag(First.Ref->getLocation(), Moved ? "moved from here" : "first awaited here",
           DiagnosticIDs::Note)
          << First.Ref->getSourceRange();
    }
    return;
  }
  if (!Reported.first(Producer.getBeginLoc(), Producer.getExprLoc()))
    return;

  std::string Fate = M.Stored ? "is stored in '" + M.Stored->getNameAsString() +
                                    "' and never awaited, moved, returned or passed on"
                              : M.Fate;
  const FunctionDecl *Callee = nullptr;
  if (const auto *Call = dyn_cast<CallExpr>(&Producer))
    Callee = Call->getDirectCallee();
  if (!isLoopCoroutine(&Fn)) {
    // Outside a coroutine nothing can await it: point at the sync twin or aorm::run (only
    // where the file uses aorm; other code is told to await it from a coroutine).
    std::optional<StringRef> SyncTwin = Callee ? findIntent(Callee, AsyncIntent) : std::nullopt;
    bool Aorm = lookupQualified(Ctx, "aorm::run") != nullptr;
    std::string Instead =
        SyncTwin && !SyncTwin->empty()
            ? "call the blocking '" + SyncTwin->str() +
                  "' instead, or drive the task with 'aorm::run(...)'"
        : Aorm ? std::string("drive it with 'aorm::run(...)' or make the caller a coroutine")
               : std::string("make the caller a coroutine that awaits it, or hand it to the "
                             "event loop that runs it");
    diag(Producer.getBeginLoc(), "%0 %1 in %2, so it never runs; %3")
        << Subject << Fate << describeFunction(&Fn, "non-coroutine") << Instead
        << Producer.getSourceRange();
    return;
  }

  std::string Text = shortText(sourceText(Producer, Ctx));
  if (Text == "...")
    Text = isa<CoawaitExpr>(Producer) ? Name + "(...)"
           : "..." + Name + (cast<CallExpr>(Producer).getNumArgs() ? "(...)" : "()");
  auto D = diag(Producer.getBeginLoc(),
                "%0 %1, so it never runs; use 'co_await %2' instead")
           << Subject << Fate << Text << Producer.getSourceRange();
  if (!M.FixAllowed || (M.Stored && !Uses.empty()))
    return;
  if (!M.Stored) {
    D << FixItHint::CreateInsertion(Producer.getBeginLoc(), "co_await ");
    return;
  }
  // `auto t = co_await x` changes t's type: safe only when t is declared `auto` and nothing
  // uses it (an explicit Task<T> declaration would not compile). A task of void yields nothing
  // to store: the declaration becomes the await.
  if (!M.Stored->getType()->getContainedAutoType())
    return;
  QualType Awaited = awaitedType(Producer.getType());
  if (Awaited.isNull() || !Awaited->isVoidType()) {
    D << FixItHint::CreateInsertion(Producer.getBeginLoc(), "co_await ");
    return;
  }
  std::string Call = sourceText(Producer, Ctx);
  CharSourceRange Whole = M.Decl && M.Decl->isSingleDecl()
                              ? fileRange(M.Decl->getSourceRange(), Ctx)
                              : CharSourceRange();
  if (!Call.empty() && Whole.isValid())
    D << FixItHint::CreateReplacement(Whole, "co_await " + Call + ";");
}

} // namespace clang::tidy::aorm
