#include "AwaitOnLazyQuerysetCheck.h"
#include "CoroutineContext.h"
#include "FixSafety.h"
#include "Intent.h"

#include "clang/AST/ExprCXX.h"
#include "clang/AST/StmtCXX.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"

using namespace clang::ast_matchers;

namespace clang::tidy::aorm {
namespace {

using Evaluation = AwaitOnLazyQuerysetCheck::Evaluation;

// Where the query set produced by the expression at Walk[Index] is evaluated, following builder
// calls (each returns a new lazy query set) up to the first terminal or implicit evaluation.
std::optional<Evaluation> evaluationOf(const Path &Walk, size_t Index) {
  for (int Guard = 0; Guard < 32; ++Guard) {
    std::optional<Path::Step> S = Walk.parentStep(Index, /*SkipParens=*/true);
    if (!S || !S->Child)
      return std::nullopt;
    const CallExpr *Call = nullptr;
    size_t CallIndex = 0;
    if (S->Parent.get<MemberExpr>() && S->Index > 0) {
      Call = Walk[S->Index - 1].get<CXXMemberCallExpr>();
      CallIndex = S->Index - 1;
    } else if (const auto *Op = S->Parent.get<CXXOperatorCallExpr>()) {
      if (Op->getNumArgs() > 0 && Op->getArg(0)->IgnoreImplicit() == S->Child->IgnoreImplicit()) {
        Call = Op;
        CallIndex = S->Index;
      }
    } else if (const auto *For = S->Parent.get<CXXForRangeStmt>()) {
      if (For->getRangeInit() && For->getRangeInit()->IgnoreParens() == S->Child)
        return Evaluation{For->getRangeInit()->getBeginLoc(), "the range-for"};
    }
    if (!Call)
      return std::nullopt;
    const FunctionDecl *Callee = Call->getDirectCallee();
    if (!Callee)
      return std::nullopt;
    if (findIntent(Callee, BlockingIntent) || findIntent(Callee, AsyncIntent)) {
      SourceLocation Loc = Call->getExprLoc();
      if (const auto *MC = dyn_cast<CXXMemberCallExpr>(Call))
        if (const auto *ME = dyn_cast<MemberExpr>(MC->getCallee()->IgnoreImplicit());
            ME && !ME->isImplicitAccess() && ME->getMemberLoc().isValid() &&
            !isa<CXXConversionDecl>(Callee))
          Loc = ME->getMemberLoc();
      return Evaluation{Loc, "'" + Callee->getNameAsString() + "'"};
    }
    if (!isLazyType(Call->getType()))
      return std::nullopt;
    Index = CallIndex; // a builder: follow the new query set
  }
  return std::nullopt;
}

// Whether `co_await` on the task E yields a lazy query set.
bool yieldsLazy(const Expr &E) {
  QualType A = awaitedType(E.getType());
  return !A.isNull() && isLazyType(A);
}

class LazyWalker : public BodyWalker<LazyWalker> {
public:
  explicit LazyWalker(ASTContext &Ctx)
      : BodyWalker(
            Ctx, [](const FunctionDecl &) { return false; }, /*EnterInPlaceLambdas=*/false) {}
  std::vector<AwaitOnLazyQuerysetCheck::Finding> Findings;

  bool VisitCoawaitExpr(CoawaitExpr *Await) {
    if (Await->isImplicit() || Await->getBeginLoc().isInvalid() || Await->isTypeDependent() ||
        Ctx.getSourceManager().isInSystemHeader(Await->getBeginLoc()))
      return true;
    const Expr *Operand = Await->getOperand()->IgnoreImplicit();
    // Only awaiting a task counts; the runtime's own awaiters (the offload plumbing) resume
    // with whatever the task is made of.
    if (!isAwaitableType(Operand->getType()))
      return true;
    if (isLazyType(Await->getType())) {
      AwaitOnLazyQuerysetCheck::Finding F{Await, Operand, nullptr, nullptr,
                                          evaluationOf(Walk, Walk.size() - 1)};
      if (!F.Later)
        if (std::optional<Path::Step> S = Walk.parentStep(Walk.size() - 1, true))
          F.Var = S->Parent.get<VarDecl>();
      Findings.push_back(F);
      return true;
    }
    // A task handed to the awaited call (gather) that yields a query set fetches nothing either.
    if (const auto *Call = dyn_cast<CallExpr>(Operand))
      for (const Expr *Arg : Call->arguments())
        if (yieldsLazy(*Arg->IgnoreImplicit()))
          Findings.push_back({Await, Arg->IgnoreImplicit(), Call, nullptr, std::nullopt});
    return true;
  }
  bool VisitDeclRefExpr(DeclRefExpr *Ref) {
    for (AwaitOnLazyQuerysetCheck::Finding &F : Findings)
      if (F.Var && F.Var == Ref->getDecl() && !F.Later)
        F.Later = evaluationOf(Walk, Walk.size() - 1); // the walk meets uses in source order
    return true;
  }
};

std::string taskName(const Expr &Task) {
  if (const auto *Call = dyn_cast<CallExpr>(&Task))
    if (const FunctionDecl *Producer = Call->getDirectCallee())
      return Producer->getNameAsString();
  if (const auto *Ref = dyn_cast<DeclRefExpr>(&Task))
    return Ref->getDecl()->getNameAsString();
  return "task";
}

} // namespace

void AwaitOnLazyQuerysetCheck::registerMatchers(MatchFinder *Finder) {
  // The rule: in every coroutine of user code, a co_await must not yield a lazy query set.
  Finder->addMatcher(functionDecl(isDefinition(), isCoroutineFunction(),
                                  unless(cxxMethodDecl(ofClass(cxxRecordDecl(isLambda())))),
                                  unless(isExpansionInSystemHeader()))
                         .bind("coroutine"),
                     this);
  Finder->addMatcher(
      lambdaExpr(hasCoroutineBody(), unless(isExpansionInSystemHeader())).bind("lambda"), this);
}

void AwaitOnLazyQuerysetCheck::check(const MatchFinder::MatchResult &Result) {
  llvm::SmallVector<const FunctionDecl *, 2> Functions;
  if (const auto *Fn = Result.Nodes.getNodeAs<FunctionDecl>("coroutine"))
    Functions.push_back(Fn);
  if (const auto *LE = Result.Nodes.getNodeAs<LambdaExpr>("lambda"))
    Functions = lambdaBodies(*LE);
  for (const FunctionDecl *Fn : Functions) {
    LazyWalker Walker(*Result.Context);
    Walker.walk(userBody(*Fn));
    for (const Finding &F : Walker.Findings)
      diagnose(F, *Result.Context);
  }
}

void AwaitOnLazyQuerysetCheck::diagnose(const Finding &F, ASTContext &Ctx) {
  const Expr &Task = *F.Task;
  if (!Reported.first(Task.getBeginLoc(), F.Await->getBeginLoc()))
    return;
  std::string Name = taskName(Task);
  const FunctionDecl *Producer = nullptr;
  if (const auto *Call = dyn_cast<CallExpr>(&Task))
    Producer = Call->getDirectCallee();
  PrintingPolicy Policy = Ctx.getPrintingPolicy();
  if (F.Via) {
    QualType Lazy = awaitedType(Task.getType());
    diag(Task.getBeginLoc(),
         "task '%0' awaited through '%1' yields lazy '%2' and fetches nothing, so evaluating it "
         "later blocks the event loop; pass a task that awaits a terminal instead, e.g. "
         "'qs.alist()'")
        << Name << taskName(*F.Via) << Lazy.getUnqualifiedType().getAsString(Policy)
        << Task.getSourceRange();
  } else {
    QualType Lazy = F.Await->getType().getNonReferenceType().getUnqualifiedType();
    diag(F.Await->getBeginLoc(),
         "'co_await' on '%0' yields lazy '%1' and fetches nothing, so evaluating it later blocks "
         "the event loop; await a terminal instead, e.g. 'co_await qs.alist()'")
        << Name << Lazy.getAsString(Policy) << F.Await->getSourceRange();
  }

  if (Producer && findIntent(Producer, OffloadsIntent))
    diag(Task.getBeginLoc(),
         "'%0' runs only the builders off the loop; evaluate the query set inside the callable "
         "or await its terminal",
         DiagnosticIDs::Note)
        << Name;
  else if (const FunctionDecl *Def = Producer ? Producer->getDefinition() : nullptr;
           Def && isCoroutine(Def))
    diag(Def->getLocation(), "coroutine '%0' returns the query set without evaluating it",
         DiagnosticIDs::Note)
        << Name;
  if (F.Later)
    diag(F.Later->Loc, "the query set is evaluated here, by %0", DiagnosticIDs::Note)
        << F.Later->How;
}

} // namespace clang::tidy::aorm
