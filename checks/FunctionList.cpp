#include "FunctionList.h"

#include "clang-tidy/utils/OptionsUtils.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"

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
    Entries.push_back({Name.str(), Payload.trim().str()});
  }
}

std::optional<llvm::StringRef> FunctionList::find(const FunctionDecl &FD, ASTContext &Ctx) {
  if (Entries.empty())
    return std::nullopt;
  auto [It, Inserted] = Cache.try_emplace(FD.getCanonicalDecl());
  if (Inserted)
    for (unsigned I = 0; I < Entries.size(); ++I)
      if (!ast_matchers::match(ast_matchers::functionDecl(ast_matchers::hasName(Entries[I].Name)),
                               FD, Ctx)
               .empty()) {
        It->second = I;
        break;
      }
  if (!It->second)
    return std::nullopt;
  return llvm::StringRef(Entries[*It->second].Payload);
}

} // namespace clang::tidy::aorm
