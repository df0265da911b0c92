// The qualified name a profile or an option uses for a function: namespaces and classes by their
// plain names, so that a member of a class template is named once for every instantiation, every
// explicit specialization and the dependent pattern (`std::future::get` for std::future<int>::get
// and std::future<void>::get). Inline namespaces (std::__1, std::_V2) and extern "C" blocks are
// left out, as users write the name.
#pragma once

#include "clang/AST/Decl.h"
#include <string>

namespace clang::tidy::aorm {

// "ns::Class::member", or "" for a declaration without a plain name (constructors, operators).
std::string plainQualifiedName(const NamedDecl &D);

// Whether Name, as written in an option ("::ns::f" is exact, "C::f" matches any enclosing
// namespace, as clang's hasName does), names the declaration whose plain qualified name is Full.
bool qualifiedNameMatches(llvm::StringRef Full, llvm::StringRef Name);

} // namespace clang::tidy::aorm

namespace clang {
class ASTContext;
}
namespace clang::tidy::aorm {
// The declaration a qualified name ("ns::Class::f") finds from the translation unit, or nullptr.
const NamedDecl *lookupQualified(ASTContext &Ctx, llvm::StringRef Qualified);
} // namespace clang::tidy::aorm
