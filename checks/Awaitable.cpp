#include "Awaitable.h"
#include "Intent.h"

#include "clang/AST/DeclCXX.h"
#include "clang/AST/DeclTemplate.h"
#include "clang/AST/StmtCXX.h"
#include "llvm/ADT/DenseMap.h"

namespace clang::tidy::aorm {
namespace {

struct AwaitInfo {
  bool Awaitable = false;
  QualType Resume; // await_resume's return type, when known and not dependent
};

// One cache per thread: clangd builds translation units on several threads at once.
thread_local llvm::DenseMap<const CXXRecordDecl *, AwaitInfo> Cache;

// The class definition T names: its own, or for a specialization not instantiated (a return type
// seen only in a declaration) or a dependent template-id, the template's pattern.
const CXXRecordDecl *definitionOf(QualType T) {
  if (T.isNull())
    return nullptr;
  T = T.getNonReferenceType();
  const CXXRecordDecl *RD = T->getAsCXXRecordDecl();
  if (!RD) {
    if (const auto *TST = T->getAs<TemplateSpecializationType>())
      if (const auto *CTD = dyn_cast_or_null<ClassTemplateDecl>(
              TST->getTemplateName().getAsTemplateDecl()))
        RD = CTD->getTemplatedDecl();
    if (const auto *ICN = T->getAs<InjectedClassNameType>())
      RD = ICN->getDecl();
  }
  if (!RD)
    return nullptr;
  if (const CXXRecordDecl *Def = RD->getDefinition())
    return Def;
  if (const auto *Spec = dyn_cast<ClassTemplateSpecializationDecl>(RD))
    return Spec->getSpecializedTemplate()->getTemplatedDecl()->getDefinition();
  return nullptr;
}

// Members named Name in RD or its bases (a promise or awaiter often inherits them).
const NamedDecl *findMember(const CXXRecordDecl *RD, DeclarationName Name, int Depth = 0) {
  if (!RD || Depth > 8)
    return nullptr;
  DeclContextLookupResult Found = RD->lookup(Name);
  if (!Found.empty())
    return Found.front();
  for (const CXXBaseSpecifier &B : RD->bases())
    if (const NamedDecl *D = findMember(definitionOf(B.getType()), Name, Depth + 1))
      return D;
  return nullptr;
}

const NamedDecl *findMember(const CXXRecordDecl *RD, llvm::StringRef Name) {
  return RD ? findMember(RD, &RD->getASTContext().Idents.get(Name)) : nullptr;
}

QualType returnType(const NamedDecl *D) {
  const FunctionDecl *FD = D ? D->getAsFunction() : nullptr;
  if (!FD)
    return {};
  QualType R = FD->getReturnType();
  if (R.isNull() || R->isDependentType() || R->isUndeducedType())
    return {};
  return R;
}

bool isAwaiter(const CXXRecordDecl *RD) {
  return findMember(RD, "await_ready") && findMember(RD, "await_suspend") &&
         findMember(RD, "await_resume");
}

// Whether an awaiter never suspends: its await_ready is constexpr and returns true
// (std::suspend_never). Anything the language cannot tell counts as suspending.
bool neverSuspends(const CXXRecordDecl *Awaiter) {
  const NamedDecl *Ready = findMember(Awaiter, "await_ready");
  const FunctionDecl *FD = Ready ? Ready->getAsFunction() : nullptr;
  const FunctionDecl *Def = nullptr;
  if (!FD || !FD->isConstexpr() || !FD->hasBody(Def))
    return false;
  const auto *Body = dyn_cast_or_null<CompoundStmt>(Def->getBody());
  const auto *Ret = Body && Body->size() == 1 ? dyn_cast<ReturnStmt>(Body->body_front()) : nullptr;
  const Expr *Value = Ret ? Ret->getRetValue() : nullptr;
  bool Result = false;
  return Value && !Value->isValueDependent() &&
         Value->EvaluateAsBooleanCondition(Result, Def->getASTContext()) && Result;
}

// The promise of a coroutine return type, when RD names one.
const CXXRecordDecl *promiseOf(const CXXRecordDecl *RD) {
  const NamedDecl *P = findMember(RD, "promise_type");
  if (const auto *TD = dyn_cast_or_null<TypedefNameDecl>(P))
    return definitionOf(TD->getUnderlyingType());
  if (const auto *Nested = dyn_cast_or_null<CXXRecordDecl>(P))
    return Nested->getDefinition();
  return nullptr;
}

// A free operator co_await in RD's namespace taking RD (found by argument-dependent lookup).
const FunctionDecl *freeCoawait(const CXXRecordDecl *RD) {
  ASTContext &Ctx = RD->getASTContext();
  DeclarationName Name = Ctx.DeclarationNames.getCXXOperatorName(OO_Coawait);
  const DeclContext *NS = RD->getDeclContext()->getRedeclContext();
  const Decl *Self = RD->getCanonicalDecl();
  const ClassTemplateDecl *Template = RD->getDescribedClassTemplate();
  if (const auto *Spec = dyn_cast<ClassTemplateSpecializationDecl>(RD))
    Template = Spec->getSpecializedTemplate();
  for (const NamedDecl *D : NS->lookup(Name)) {
    const FunctionDecl *FD = D->getAsFunction();
    if (!FD || FD->getNumParams() != 1)
      continue;
    QualType P = FD->getParamDecl(0)->getType().getNonReferenceType();
    if (const CXXRecordDecl *PR = P->getAsCXXRecordDecl(); PR && PR->getCanonicalDecl() == Self)
      return FD;
    if (const auto *TST = P->getAs<TemplateSpecializationType>())
      if (Template && TST->getTemplateName().getAsTemplateDecl() &&
          TST->getTemplateName().getAsTemplateDecl()->getCanonicalDecl() ==
              Template->getCanonicalDecl())
        return FD;
  }
  return nullptr;
}

// What co_await on an awaiter-or-awaitable returned by Operator resumes with.
QualType resumeOf(QualType AwaiterType) {
  return returnType(findMember(definitionOf(AwaiterType), "await_resume"));
}

AwaitInfo compute(const CXXRecordDecl *RD) {
  AwaitInfo Info;
  ASTContext &Ctx = RD->getASTContext();
  QualType Self = Ctx.getRecordType(RD);
  if (isLazyType(Self))
    return Info; // a QuerySet declares an operator co_await only to refuse it
  const CXXRecordDecl *Def = definitionOf(Self);
  if (!Def)
    return Info;
  DeclarationName CoawaitName = Ctx.DeclarationNames.getCXXOperatorName(OO_Coawait);
  if (const NamedDecl *Op = findMember(Def, CoawaitName)) {
    Info.Awaitable = true;
    Info.Resume = resumeOf(returnType(Op));
  } else if (const FunctionDecl *Free = freeCoawait(Def)) {
    Info.Awaitable = true;
    Info.Resume = resumeOf(returnType(Free));
  } else if (isAwaiter(Def)) {
    Info.Awaitable = true;
    Info.Resume = returnType(findMember(Def, "await_resume"));
  } else if (const CXXRecordDecl *Promise = promiseOf(Def)) {
    // A coroutine type is a task when its promise starts suspended; an eager one (initial_suspend
    // returns std::suspend_never) already ran. A generator (a range) is not awaited.
    const NamedDecl *Initial = findMember(Promise, "initial_suspend");
    QualType Start = returnType(Initial);
    const CXXRecordDecl *StartAwaiter = definitionOf(Start);
    bool Lazy = Initial && !(StartAwaiter && neverSuspends(StartAwaiter));
    Info.Awaitable = Lazy && !findMember(Def, "begin");
  }
  return Info;
}

const AwaitInfo &infoFor(const CXXRecordDecl *RD) {
  RD = RD->getCanonicalDecl();
  auto It = Cache.find(RD);
  if (It != Cache.end())
    return It->second;
  AwaitInfo Info = compute(RD);
  return Cache[RD] = Info; // compute() may have grown the map
}

const CXXRecordDecl *recordOf(QualType T) {
  if (T.isNull())
    return nullptr;
  T = T.getNonReferenceType();
  if (const CXXRecordDecl *RD = T->getAsCXXRecordDecl())
    return RD;
  if (const auto *TST = T->getAs<TemplateSpecializationType>())
    if (const auto *CTD =
            dyn_cast_or_null<ClassTemplateDecl>(TST->getTemplateName().getAsTemplateDecl()))
      return CTD->getTemplatedDecl();
  if (const auto *ICN = T->getAs<InjectedClassNameType>())
    return ICN->getDecl();
  return nullptr;
}

} // namespace

bool isAwaitableType(QualType T) {
  if (findTypeIntent(T, AwaitableIntent))
    return true;
  const CXXRecordDecl *RD = recordOf(T);
  return RD && infoFor(RD).Awaitable;
}

QualType awaitedType(QualType T) {
  if (!isAwaitableType(T))
    return {};
  if (const CXXRecordDecl *RD = recordOf(T))
    if (QualType R = infoFor(RD).Resume; !R.isNull())
      return R;
  // A task awaited through its promise's await_transform (asio::awaitable<T>), or whose awaiter
  // is spelled `auto`: the value it carries is its first template argument.
  const auto *Spec = dyn_cast_or_null<ClassTemplateSpecializationDecl>(
      T.getNonReferenceType()->getAsCXXRecordDecl());
  if (!Spec || Spec->getTemplateArgs().size() == 0 ||
      Spec->getTemplateArgs()[0].getKind() != TemplateArgument::Type)
    return {};
  return Spec->getTemplateArgs()[0].getAsType();
}

void resetAwaitableCache() { Cache.clear(); }

} // namespace clang::tidy::aorm
