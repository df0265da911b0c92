// Whether a fix-it that puts `co_await twin(...)` where a blocking call stands keeps the program's
// meaning: the awaited value has the call's type (or converts to it without narrowing or a new
// deduced type), and no reference outlives the temporary the fix creates.
#pragma once

#include "Awaitable.h"
#include "BodyWalk.h"
#include "clang/AST/Expr.h"
#include <string>

namespace clang::tidy::aorm {

struct TwinFit {
  std::string Problem; // non-empty: no fix-it, and this is the advice the message gives instead
  std::string Cast;    // non-empty: wrap the awaited value in static_cast<Cast>(...)
};

// How `co_await <twin>(...)` fits where Call (at Walk[Index]) stands.
TwinFit twinFit(const CallExpr &Call, llvm::StringRef Twin, bool QualifiedTwin, const Path &Walk,
                size_t Index, ASTContext &Ctx);

// Whether the result of the expression at Walk[Index] (or a member or element of it) is bound to
// a reference that outlives the full expression: a reference variable or a range-for's range.
bool bindsReferenceToResult(const Path &Walk, size_t Index);

// What that reference is, for a message: "'name'" of the variable, or "the range-for's range".
std::string danglingName(const Path &Walk, size_t Index);

} // namespace clang::tidy::aorm
