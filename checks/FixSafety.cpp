#include "FixSafety.h"
#include "Intent.h"
#include "QualifiedName.h"

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

// The argument as written: without the implicit conversions Sema added to reach the parameter.
static const Expr *writtenArgument(const Expr *E) {
  for (;;) {
    E = E->IgnoreImplicit();
    const auto *Construct = dyn_cast<CXXConstructExpr>(E);
    if (!Construct || Construct->getNumArgs() != 1 || isa<CXXTemporaryObjectExpr>(Construct) ||
        Construct->getParenOrBraceRange().isValid())
      return E;
    E = Construct->getArg(0);
  }
}

// A whole replacement function (a profile's `aorm::sleep_for` for std::this_thread::sleep_for)
// takes the call's arguments when each has the parameter's type, or both are arithmetic; a
// conversion the sync function accepted (microseconds to its duration) may not compile for it.
static TwinFit qualifiedTwinFit(const CallExpr &Call, llvm::StringRef Twin, ASTContext &Ctx) {
  const auto *FD = dyn_cast_or_null<FunctionDecl>(lookupQualified(Ctx, Twin));
  if (!FD || FD->getNumParams() != Call.getNumArgs())
    return {}; // a user's option or an overload set: trust it
  for (unsigned I = 0; I < Call.getNumArgs(); ++I) {
    QualType Param = FD->getParamDecl(I)->getType().getNonReferenceType().getUnqualifiedType();
    QualType Arg = writtenArgument(Call.getArg(I))->getType().getUnqualifiedType();
    if (Ctx.hasSameType(Param, Arg) || (Param->isArithmeticType() && Arg->isArithmeticType()))
      continue;
    return {"its twin '" + Twin.str() + "' takes '" +
                Param.getAsString(Ctx.getPrintingPolicy()) + "'; convert the argument and use "
                "'co_await " + Twin.str() + "(...)' instead",
            ""};
  }
  return {};
}

TwinFit twinFit(const CallExpr &Call, llvm::StringRef Twin, bool QualifiedTwin, const Path &Walk,
                size_t Index, ASTContext &Ctx) {
  const FunctionDecl *Callee = Call.getDirectCallee();
  if (!Callee)
    return {}; // judged by the template's candidates
  if (QualifiedTwin)
    return qualifiedTwinFit(Call, Twin, Ctx);
  QualType Sync = Call.getType();
  PrintingPolicy Policy = Ctx.getPrintingPolicy();
  QualType Awaited, NotTask;
  // The twin must take the arguments written (default arguments are not written).
  unsigned Written = 0;
  for (const Expr *A : Call.arguments())
    Written += !isa<CXXDefaultArgExpr>(A);
  bool Takes = false, Any = false;
  for (const NamedDecl *D : twinCandidates(*Callee, Twin, Ctx)) {
    const FunctionDecl *FD = D->getAsFunction();
    if (!FD)
      continue;
    Any = true;
    if (FD->getNumParams() < Written && !FD->isVariadic() &&
        !(FD->getNumParams() > 0 && FD->getParamDecl(FD->getNumParams() - 1)->isParameterPack()))
      continue;
    Takes = true;
    QualType A = awaitedType(FD->getReturnType());
    if (A.isNull()) {
      NotTask = FD->getReturnType();
      continue;
    }
    Awaited = A;
    if (Ctx.hasSameUnqualifiedType(A.getNonReferenceType(), Sync.getNonReferenceType()))
      return {};
  }
  if (Any && !Takes)
    return {"its async twin '" + Twin.str() + "' does not take these arguments; rewrite the call "
            "and 'co_await " + Twin.str() + "(...)'",
            ""};
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
