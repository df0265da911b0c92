#include "FunctionList.h"
#include "QualifiedName.h"

#include "clang-tidy/utils/OptionsUtils.h"

namespace clang::tidy::aorm {

void FunctionList::parse(llvm::StringRef Raw,
                         llvm::function_ref<void(llvm::StringRef)> OnMalformed) {
  for (llvm::StringRef Item : utils::options::parseStringList(Raw)) {
    auto [Name, Payload] = Item.split('=');
    Name = Name.trim();
    if (Name.empty()) {
      OnMalformed(Item);
      continue;
    }
    add(Name, Payload.trim());
  }
}

void FunctionList::add(llvm::StringRef Name, llvm::StringRef Payload) {
  Entries.push_back({Name.str(), Payload.str()});
  llvm::StringRef Last = Name.rsplit("::").second;
  LastNames.insert(Last.empty() ? Name : Last);
}

std::optional<llvm::StringRef> FunctionList::find(const FunctionDecl &FD, ASTContext &) {
  // Most callees share no name with any entry: their identifier settles it.
  if (Entries.empty() || !FD.getIdentifier() || !LastNames.contains(FD.getName()))
    return std::nullopt;
  auto [It, Inserted] = Cache.try_emplace(FD.getCanonicalDecl());
  if (Inserted) {
    std::string Full = plainQualifiedName(FD);
    for (unsigned I = 0; I < Entries.size() && !Full.empty(); ++I)
      if (qualifiedNameMatches(Full, Entries[I].Name)) {
        It->second = I;
        break;
      }
  }
  if (!It->second)
    return std::nullopt;
  return llvm::StringRef(Entries[*It->second].Payload);
}

} // namespace clang::tidy::aorm
