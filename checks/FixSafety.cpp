#include "FixSafety.h"
#include "Intent.h"

#include "clang/AST/DeclCXX.h"
#include "clang/AST/DeclTemplate.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/StmtCXX.h"

namespace clang::tidy::aorm {

// The declarations the twin's name finds beside the blocking function: a sibling member, or a
// function of the same namespace.
static DeclContextLookupResult twinCandidates(const FunctionDecl &Callee, llvm::StringRef Twin,
                                              ASTContext &Ctx) {
  const DeclContext *DC = Callee.getDeclContext()->getRedeclContext();
  if (const auto *Record = dyn_cast<CXXRecordDecl>(DC))
    if (const CXXRecordDecl *Def = Record->getDefinition())
      DC = Def;
  return DC->lookup(&Ctx.Idents.get(Twin));
}

// A braced initializer converts without narrowing only; `auto` takes the initializer's type.
static bool needsExactType(const Path &Walk, size_t Index) {
  std::optional<Path::Step> S = Walk.parentStep(Index, /*SkipParens=*/true);
  if (!S)
    return false;
  if (S->Parent.get<InitListExpr>())
    return true;
  if (const auto *Construct = S->Parent.get<CXXConstructExpr>())
    return Construct->isListInitialization();
  if (const auto *Var = S->Parent.get<VarDecl>())
    return Var->getInitStyle() == VarDecl::ListInit || Var->getType()->getContainedAutoType();
  return false;
}

TwinFit twinFit(const CallExpr &Call, llvm::StringRef Twin, bool QualifiedTwin, const Path &Walk,
                size_t Index, ASTContext &Ctx) {
  const FunctionDecl *Callee = Call.getDirectCallee();
  if (!Callee || QualifiedTwin)
    return {}; // judged by the template's candidates, or a whole function the user named
  QualType Sync = Call.getType();
  PrintingPolicy Policy = Ctx.getPrintingPolicy();
  QualType Awaited, NotTask;
  for (const NamedDecl *D : twinCandidates(*Callee, Twin, Ctx)) {
    const FunctionDecl *FD = D->getAsFunction();
    if (!FD)
      continue;
    QualType A = awaitedType(FD->getReturnType());
    if (A.isNull()) {
      NotTask = FD->getReturnType();
      continue;
    }
    Awaited = A;
    if (Ctx.hasSameUnqualifiedType(A.getNonReferenceType(), Sync.getNonReferenceType()))
      return {};
  }
  if (Awaited.isNull()) {
    if (NotTask.isNull())
      return {}; // the twin is not declared where we look: trust the annotation
    return {"its async twin '" + Twin.str() + "' returns '" + NotTask.getAsString(Policy) +
                "', which is not awaited as a whole; rewrite the code around it and 'co_await' "
                "what it offers",
            ""};
  }
  if (Sync->isVoidType())
    return {};
  if (Sync->isArithmeticType() && Awaited->isArithmeticType()) {
    if (needsExactType(Walk, Index))
      return {"", Sync.getUnqualifiedType().getAsString(Policy)};
    return {};
  }
  return {"'co_await' on its async twin '" + Twin.str() + "' yields '" +
              Awaited.getAsString(Policy) + "', not '" + Sync.getAsString(Policy) +
              "'; await it into a named variable first and use that",
          ""};
}

// The reference the result at Walk[Index] (or a member of it) initialises, if any.
static std::optional<Path::Step> bindingOf(const Path &Walk, size_t Index) {
  for (size_t I = Index;;) {
    std::optional<Path::Step> S = Walk.parentStep(I, /*SkipParens=*/true);
    if (!S)
      return std::nullopt;
    if (const auto *Var = S->Parent.get<VarDecl>())
      return Var->getType()->isReferenceType() ? S : std::nullopt;
    if (const auto *For = S->Parent.get<CXXForRangeStmt>())
      return For->getRangeInit() && For->getRangeInit()->IgnoreParens() == S->Child
                 ? S
                 : std::nullopt;
    // A member of the result is still part of it.
    const auto *ME = S->Parent.get<MemberExpr>();
    if (!ME || ME->isArrow())
      return std::nullopt;
    I = S->Index;
  }
}

bool bindsReferenceToResult(const Path &Walk, size_t Index) {
  return bindingOf(Walk, Index).has_value();
}

std::string danglingName(const Path &Walk, size_t Index) {
  std::optional<Path::Step> S = bindingOf(Walk, Index);
  if (const auto *Var = S ? S->Parent.get<VarDecl>() : nullptr)
    return "'" + Var->getNameAsString() + "'";
  return "the range-for's range";
}

} // namespace clang::tidy::aorm
