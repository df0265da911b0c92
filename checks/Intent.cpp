#include "Intent.h"

#include "clang/AST/Attr.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/DeclTemplate.h"

namespace clang::tidy::aorm {

static std::optional<llvm::StringRef> ownIntent(const Decl *D, llvm::StringRef Intent) {
  for (const auto *A : D->specific_attrs<AnnotateAttr>()) {
    llvm::StringRef Text = A->getAnnotation();
    if (!Text.consume_front(Intent))
      continue;
    if (Text.empty())
      return Text;
    // "aorm.blocking:aget" carries a payload; "aorm.blockingX" is some other annotation.
    if (Text.consume_front(":"))
      return Text;
  }
  return std::nullopt;
}

static std::optional<llvm::StringRef> redeclIntent(const Decl *D, llvm::StringRef Intent) {
  for (const Decl *R : D->redecls())
    if (auto Found = ownIntent(R, Intent))
      return Found;
  return std::nullopt;
}

std::optional<llvm::StringRef> findIntent(const Decl *D, llvm::StringRef Intent) {
  if (!D)
    return std::nullopt;
  if (auto Found = redeclIntent(D, Intent))
    return Found;
  // Instantiations may not carry the attribute; the pattern they came from does.
  if (const auto *FD = dyn_cast<FunctionDecl>(D)) {
    if (const FunctionDecl *Pattern = FD->getTemplateInstantiationPattern())
      if (Pattern != FD)
        if (auto Found = redeclIntent(Pattern, Intent))
          return Found;
    if (const FunctionTemplateDecl *Primary = FD->getPrimaryTemplate())
      if (auto Found = redeclIntent(Primary->getTemplatedDecl(), Intent))
        return Found;
    if (const FunctionDecl *Member = FD->getInstantiatedFromMemberFunction())
      if (auto Found = redeclIntent(Member, Intent))
        return Found;
  }
  if (const auto *FTD = dyn_cast<FunctionTemplateDecl>(D))
    return findIntent(FTD->getTemplatedDecl(), Intent);
  if (const auto *RD = dyn_cast<CXXRecordDecl>(D)) {
    if (const auto *Spec = dyn_cast<ClassTemplateSpecializationDecl>(RD))
      if (auto Found = redeclIntent(Spec->getSpecializedTemplate()->getTemplatedDecl(), Intent))
        return Found;
    if (const CXXRecordDecl *Pattern = RD->getTemplateInstantiationPattern())
      if (Pattern != RD)
        if (auto Found = redeclIntent(Pattern, Intent))
          return Found;
  }
  if (const auto *CTD = dyn_cast<ClassTemplateDecl>(D))
    return findIntent(CTD->getTemplatedDecl(), Intent);
  return std::nullopt;
}

std::optional<llvm::StringRef> findTypeIntent(QualType T, llvm::StringRef Intent) {
  if (T.isNull())
    return std::nullopt;
  T = T.getNonReferenceType();
  if (const auto *RD = T->getAsCXXRecordDecl())
    return findIntent(RD, Intent);
  // A dependent template-id such as Task<T> inside a template: ask the class template.
  if (const auto *TST = T->getAs<TemplateSpecializationType>())
    return findIntent(TST->getTemplateName().getAsTemplateDecl(), Intent);
  if (const auto *ICN = T->getAs<InjectedClassNameType>())
    return findIntent(ICN->getDecl(), Intent);
  return std::nullopt;
}

} // namespace clang::tidy::aorm
