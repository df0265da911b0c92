// Reading the intent the runtime declares with <aorm/intent.hpp>: which functions block (and their
// awaitable twin), which are awaitable twins (and their sync twin), which types are awaitable or
// lazy, and which functions offload their callable. Every check asks these helpers; none of them
// knows an aorm name.
#pragma once

#include "Awaitable.h"
#include "clang/AST/Decl.h"
#include "clang/AST/Type.h"
#include "clang/ASTMatchers/ASTMatchers.h"
#include "llvm/ADT/StringRef.h"
#include <optional>

namespace clang::tidy::aorm {

// Annotation texts, as spelled by the AORM_* macros.
inline constexpr llvm::StringLiteral BlockingIntent = "aorm.blocking";
inline constexpr llvm::StringLiteral AsyncIntent = "aorm.async";
inline constexpr llvm::StringLiteral AwaitableIntent = "aorm.awaitable";
inline constexpr llvm::StringLiteral LazyIntent = "aorm.lazy";
inline constexpr llvm::StringLiteral OffloadsIntent = "aorm.offloads";

// The payload of the annotation `Intent` or `Intent:payload` on D, its redeclarations or the
// template pattern it was instantiated from: "" for the bare form, std::nullopt when absent.
std::optional<llvm::StringRef> findIntent(const Decl *D, llvm::StringRef Intent);

// Same for a class type (through references, cv, typedefs, and dependent template-ids).
std::optional<llvm::StringRef> findTypeIntent(QualType T, llvm::StringRef Intent);

inline bool isLazyType(QualType T) { return findTypeIntent(T, LazyIntent).has_value(); }

// Matches a declaration that carries `Intent` (bare or with a payload).
AST_MATCHER_P(Decl, hasAormIntent, std::string, Intent) {
  return findIntent(&Node, Intent).has_value();
}

// Matches an expression whose type is awaitable (Awaitable.h): a task, an awaiter, AORM_AWAITABLE.
AST_MATCHER(Expr, hasAwaitableType) { return isAwaitableType(Node.getType()); }

// Matches an expression whose type is an AORM_LAZY class (aorm::QuerySet<T>).
AST_MATCHER(Expr, hasLazyType) { return isLazyType(Node.getType()); }

} // namespace clang::tidy::aorm
