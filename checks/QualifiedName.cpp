#include "QualifiedName.h"

#include "clang/AST/DeclCXX.h"
#include "llvm/ADT/SmallVector.h"

namespace clang::tidy::aorm {

std::string plainQualifiedName(const NamedDecl &D) {
  if (!D.getIdentifier())
    return "";
  // PrintingPolicy cannot leave out the arguments of a specialization's own name, so the
  // contexts are joined here.
  llvm::SmallVector<llvm::StringRef, 6> Parts{D.getName()};
  for (const DeclContext *DC = D.getDeclContext(); DC && !DC->isTranslationUnit();
       DC = DC->getParent()) {
    if (const auto *NS = dyn_cast<NamespaceDecl>(DC)) {
      if (NS->isInline() || NS->isAnonymousNamespace())
        continue;
      Parts.push_back(NS->getName());
    } else if (const auto *RD = dyn_cast<RecordDecl>(DC)) {
      if (!RD->getIdentifier())
        return ""; // a member of an unnamed class: no profile names it
      Parts.push_back(RD->getName());
    } else if (isa<FunctionDecl>(DC)) {
      return ""; // a local class's member
    }
  }
  std::string Out;
  for (auto It = Parts.rbegin(); It != Parts.rend(); ++It) {
    if (!Out.empty())
      Out += "::";
    Out += *It;
  }
  return Out;
}

bool qualifiedNameMatches(llvm::StringRef Full, llvm::StringRef Name) {
  if (Name.consume_front("::"))
    return Full == Name;
  return Full == Name || (Full.ends_with(Name) && Full.drop_back(Name.size()).ends_with("::"));
}

} // namespace clang::tidy::aorm

#include "clang/AST/ASTContext.h"

namespace clang::tidy::aorm {

const NamedDecl *lookupQualified(ASTContext &Ctx, llvm::StringRef Qualified) {
  llvm::SmallVector<llvm::StringRef, 4> Parts;
  Qualified.split(Parts, "::", -1, /*KeepEmpty=*/false);
  const DeclContext *DC = Ctx.getTranslationUnitDecl();
  for (size_t I = 0; I < Parts.size() && DC; ++I) {
    DeclContextLookupResult R = DC->lookup(&Ctx.Idents.get(Parts[I]));
    if (R.empty())
      return nullptr;
    if (I + 1 == Parts.size())
      return R.front();
    const NamedDecl *Next = R.front();
    DC = isa<NamespaceDecl, CXXRecordDecl>(Next) ? cast<DeclContext>(Next) : nullptr;
  }
  return nullptr;
}

} // namespace clang::tidy::aorm
