// Which completion token the fix of an Asio operation passes: the one the code base already
// uses. A profile's `tokens` entry names, for an awaitable type, its token and the alternatives
// that also make `co_await op(..., token)` work (`deferred`), and a version from which none is
// needed (Boost ≥ 1.86: the default token of an awaitable's executor is awaitable).
#pragma once

#include "Profile.h"
#include "clang/AST/ASTContext.h"
#include "clang/Lex/Preprocessor.h"
#include <optional>
#include <string>

namespace clang::tidy::aorm {

struct ChosenToken {
  bool None = false;   // the operation needs no token: `co_await x.async_f(args)`
  std::string Text;    // else the token, spelled as the main file first spells it
};

// The rule, in order: the candidate (token or alternative) the main file uses most, spelled as
// it is written there (ties go to the entry's order); else no token when the entry's `none-when`
// macro condition holds; else the entry's token by its qualified name.
ChosenToken chooseToken(const TokenEntry &T, ASTContext &Ctx, const Preprocessor *PP);

// Whether "MACRO >= NUMBER" holds in the translation unit (false when the macro is undefined or
// not a number).
bool macroAtLeast(llvm::StringRef Condition, const Preprocessor *PP);

} // namespace clang::tidy::aorm
