#include "BodyWalk.h"

#include "clang-tidy/utils/Matchers.h"
#include "clang/AST/DeclTemplate.h"
#include "clang/AST/ExprConcepts.h"
#include <algorithm>

namespace clang::tidy::aorm {

static bool isImplicitWrapper(const Expr &E, bool SkipParens) {
  if (isa<ImplicitCastExpr, MaterializeTemporaryExpr, CXXBindTemporaryExpr, ExprWithCleanups,
          ConstantExpr, FullExpr>(E) ||
      (SkipParens && isa<ParenExpr>(E)))
    return true;
  // An elidable copy or move of a temporary: the user wrote one expression.
  const auto *Construct = dyn_cast<CXXConstructExpr>(&E);
  return Construct && Construct->getNumArgs() == 1 &&
         (Construct->isElidable() || Construct->getParenOrBraceRange().isInvalid()) &&
         !isa<CXXTemporaryObjectExpr>(Construct);
}

std::optional<size_t> Path::semanticParent(size_t Index, bool SkipParens) const {
  for (size_t I = Index; I > 0; --I) {
    const auto *E = Nodes[I - 1].get<Expr>();
    if (!E || !isImplicitWrapper(*E, SkipParens))
      return I - 1;
  }
  return std::nullopt;
}

std::optional<Path::Step> Path::parentStep(size_t Index, bool SkipParens) const {
  std::optional<size_t> P = semanticParent(Index, SkipParens);
  if (!P)
    return std::nullopt;
  return Step{Nodes[*P], Nodes[*P + 1].get<Expr>(), *P};
}

LambdaRun lambdaRun(const Path &P, const OffloadTest &Offloads) {
  std::optional<Path::Step> S = P.parentStep(P.size() - 1, /*SkipParens=*/true);
  if (!S || !S->Child)
    return LambdaRun::Later;
  const auto *Call = S->Parent.get<CallExpr>();
  if (!Call)
    return LambdaRun::Later; // a variable, a return, a constructor (std::function, std::thread)
  if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(Call);
      Op && Op->getOperator() == OO_Call &&
      Op->getArg(0)->IgnoreImplicit() == S->Child->IgnoreImplicit())
    return LambdaRun::InPlace; // [] { ... }()
  const FunctionDecl *Callee = Call->getDirectCallee();
  if (!Callee)
    return LambdaRun::Later; // not resolved until instantiation
  if (Offloads(*Callee))
    return LambdaRun::Offloaded;
  // The callee received the closure itself (a template parameter, as the algorithms take it),
  // not a type-erased copy, and calls it before it returns.
  return LambdaRun::InPlace;
}

bool introducesUnevaluatedOperand(const Stmt &S, ASTContext &) {
  if (!isa<UnaryExprOrTypeTraitExpr, CXXNoexceptExpr, RequiresExpr, CXXTypeidExpr,
           ConceptSpecializationExpr>(S))
    return false;
  if (isa<ConceptSpecializationExpr>(S))
    return true;
  // Every unary type trait (sizeof, alignof, vec_step ...) has an unevaluated operand in C++.
  if (isa<UnaryExprOrTypeTraitExpr>(S))
    return true;
  // clang-tidy's own definition for the rest (noexcept, requires, unevaluated typeid).
  return matchers::internal::matcher_hasUnevaluatedContextMatcher().matches(cast<Expr>(S), nullptr,
                                                                            nullptr);
}

const Stmt *userBody(const FunctionDecl &Fn) {
  const Stmt *Body = Fn.getBody();
  if (const auto *Coro = dyn_cast_or_null<CoroutineBodyStmt>(Body))
    return Coro->getBody();
  return Body;
}

llvm::SmallVector<const FunctionDecl *, 2> lambdaBodies(const LambdaExpr &LE) {
  llvm::SmallVector<const FunctionDecl *, 2> Result{LE.getCallOperator()};
  if (const FunctionTemplateDecl *Generic = LE.getDependentCallOperator())
    for (const FunctionDecl *Spec : Generic->specializations())
      Result.push_back(Spec);
  return Result;
}

void instantiationsFirst(std::vector<const FunctionDecl *> &Functions) {
  std::stable_partition(Functions.begin(), Functions.end(),
                        [](const FunctionDecl *F) { return !F->isDependentContext(); });
}

} // namespace clang::tidy::aorm
