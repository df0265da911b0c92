// A list of functions named by qualified name in a check option ("ns::f;ns::C::g=payload"), and
// whether a declaration is one of them. Names are plain qualified names (QualifiedName.h), so a
// member of a class template matches every instantiation. Lookups are cached per declaration:
// every call site of a function asks the same question.
#pragma once

#include "clang/AST/ASTContext.h"
#include "clang/AST/Decl.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/StringSet.h"
#include <optional>
#include <string>
#include <vector>

namespace clang::tidy::aorm {

class FunctionList {
public:
  // Reads the option text; OnMalformed gets each entry that names no function.
  void parse(llvm::StringRef Raw, llvm::function_ref<void(llvm::StringRef)> OnMalformed);
  void add(llvm::StringRef Name, llvm::StringRef Payload = "");
  // The payload of the entry naming FD ("" when it has none), or std::nullopt.
  std::optional<llvm::StringRef> find(const FunctionDecl &FD, ASTContext &Ctx);
  bool contains(const FunctionDecl &FD, ASTContext &Ctx) { return find(FD, Ctx).has_value(); }
  bool empty() const { return Entries.empty(); }
  void clearCache() { Cache.clear(); }

private:
  struct Entry {
    std::string Name;
    std::string Payload;
  };
  std::vector<Entry> Entries;
  llvm::StringSet<> LastNames; // the unqualified name of every entry
  llvm::DenseMap<const FunctionDecl *, std::optional<unsigned>> Cache;
};

} // namespace clang::tidy::aorm
