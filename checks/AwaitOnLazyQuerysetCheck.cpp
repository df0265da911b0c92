#include "AwaitOnLazyQuerysetCheck.h"
#include "CoroutineContext.h"
#include "Intent.h"

#include "clang/AST/ExprCXX.h"
#include "clang/AST/StmtCXX.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"

using namespace clang::ast_matchers;

namespace clang::tidy::aorm {
namespace {

struct Evaluation {
  SourceLocation Loc;
  std::string How; // "'count'", "range-for", ...
};

// Where the query set produced by E is evaluated, following builder calls (each returns a new lazy
// query set) up to the first terminal or implicit evaluation.
std::optional<Evaluation> evaluationOf(const Expr &E, ASTContext &Ctx) {
  const Expr *Current = &E;
  for (int Guard = 0; Guard < 32; ++Guard) {
    const Expr *Child = nullptr;
    DynTypedNode P = semanticParent(*Current, Ctx, &Child, /*SkipParens=*/true);
    const CallExpr *Call = nullptr;
    if (P.get<MemberExpr>()) {
      DynTypedNodeList Up = Ctx.getParents(P);
      Call = Up.empty() ? nullptr : Up[0].get<CXXMemberCallExpr>();
    } else if (const auto *Op = P.get<CXXOperatorCallExpr>()) {
      if (Op->getNumArgs() > 0 && Op->getArg(0)->IgnoreImplicit() == Child->IgnoreImplicit())
        Call = Op;
    } else if (const auto *Var = P.get<VarDecl>(); Var && Var->isImplicit()) {
      // The hidden `__range` of a range-for: the loop evaluates the query set.
      DynTypedNodeList Up = Ctx.getParents(P);
      if (!Up.empty())
        if (const auto *DS = Up[0].get<DeclStmt>()) {
          DynTypedNodeList Up2 = Ctx.getParents(*DS);
          if (!Up2.empty())
            if (const auto *For = Up2[0].get<CXXForRangeStmt>())
              return Evaluation{For->getRangeInit()->getBeginLoc(), "the range-for"};
        }
      return std::nullopt;
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
    Current = Call; // a builder: follow the new query set
  }
  return std::nullopt;
}

// The first evaluation of the query set held in Var, anywhere in Fn's body.
std::optional<Evaluation> firstEvaluationOf(const VarDecl &Var, const FunctionDecl &Fn,
                                            ASTContext &Ctx) {
  if (!Fn.getBody())
    return std::nullopt;
  std::optional<Evaluation> First;
  const SourceManager &SM = Ctx.getSourceManager();
  for (const auto &Bound :
       match(findAll(declRefExpr(to(varDecl(equalsNode(&Var)))).bind("ref")), *Fn.getBody(), Ctx))
    if (auto Found = evaluationOf(*Bound.getNodeAs<DeclRefExpr>("ref"), Ctx))
      if (!First || SM.isBeforeInTranslationUnit(Found->Loc, First->Loc))
        First = Found;
  return First;
}

} // namespace

void AwaitOnLazyQuerysetCheck::registerMatchers(MatchFinder *Finder) {
  // co_await <task> whose result is a lazy query set.
  Finder->addMatcher(coawaitExpr(hasLazyType(), unless(isExpansionInSystemHeader())).bind("await"),
                     this);
}

void AwaitOnLazyQuerysetCheck::check(const MatchFinder::MatchResult &Result) {
  ASTContext &Ctx = *Result.Context;
  const auto *Await = Result.Nodes.getNodeAs<CoawaitExpr>("await");
  if (!Await || Await->isImplicit() || Await->getBeginLoc().isInvalid() ||
      Await->isTypeDependent() || !isLazyType(Await->getType()))
    return;
  // Only awaiting a task counts; the runtime's own awaiters (the offload plumbing) resume with
  // whatever the task is made of.
  const Expr *Operand = Await->getOperand()->IgnoreImplicit();
  if (!isAwaitableType(Operand->getType()))
    return;
  if (!Reported.insert(Await->getBeginLoc().getRawEncoding()).second)
    return;

  std::string Name = "task";
  const FunctionDecl *Producer = nullptr;
  if (const auto *Call = dyn_cast<CallExpr>(Operand)) {
    if ((Producer = Call->getDirectCallee()))
      Name = Producer->getNameAsString();
  } else if (const auto *Ref = dyn_cast<DeclRefExpr>(Operand)) {
    Name = Ref->getDecl()->getNameAsString();
  }
  QualType Lazy = Await->getType().getNonReferenceType().getUnqualifiedType();
  diag(Await->getBeginLoc(),
       "'co_await' on '%0' yields lazy '%1' and fetches nothing, so evaluating it later blocks the "
       "event loop; await a terminal instead, e.g. 'co_await qs.alist()'")
      << Name << Lazy.getAsString(Ctx.getPrintingPolicy());

  if (Producer && findIntent(Producer, OffloadsIntent))
    diag(Operand->getBeginLoc(),
         "'%0' runs only the builders off the loop; evaluate the query set inside the callable "
         "or await its terminal",
         DiagnosticIDs::Note)
        << Name;
  else if (const FunctionDecl *Def = Producer ? Producer->getDefinition() : nullptr;
           Def && isCoroutine(Def))
    diag(Def->getLocation(), "coroutine '%0' returns the query set without evaluating it",
         DiagnosticIDs::Note)
        << Name;

  // Where the query finally runs: on the awaited value itself, or through the variable it
  // initialises.
  std::optional<Evaluation> Later = evaluationOf(*Await, Ctx);
  if (!Later) {
    DynTypedNode P = semanticParent(*Await, Ctx, nullptr, /*SkipParens=*/true);
    Enclosing Where = findEnclosing(*Await, Ctx);
    if (const auto *Var = P.get<VarDecl>(); Var && Where.Function)
      Later = firstEvaluationOf(*Var, *Where.Function, Ctx);
  }
  if (Later)
    diag(Later->Loc, "the query set is evaluated here, by %0", DiagnosticIDs::Note) << Later->How;
}

} // namespace clang::tidy::aorm
