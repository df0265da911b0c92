// A profile's `retype` fix (drogon::orm::Mapper<T> → CoroMapper<T>): a blocking member call
// whose object is a local of the coroutine, declared as a specialisation of the callee's class
// template, is fixed by respelling the template's name in the declaration and awaiting each of
// the local's calls. Only when every use of the local is such a call, in code that can await:
// any other use (passed on, captured, a call the twin class lacks) would not compile or would
// change meaning, so the fix is all or nothing.
#pragma once

#include "BodyWalk.h"
#include "clang/Basic/Diagnostic.h"
#include <functional>
#include <string>
#include <vector>

namespace clang::tidy::aorm {

// The object a call chain works on: `m` in `m.limit(10).findAll()`, through members that
// return their own object (`Mapper<T> &limit(size_t)`).
const Expr *chainObject(const CXXMemberCallExpr &Call);

struct RetypePlan {
  const VarDecl *Var = nullptr;
  std::string NewType;            // the declaration's type respelled: "orm::CoroMapper<Users>"
  std::vector<FixItHint> Edits;   // the template's name, then `co_await` around each call
  std::string Problem;            // non-empty: no fix, and why
  bool Given = false;             // the edits went with a finding already
};

// Whether Call is one the fix covers: a blocking call of the same retype entry.
using CoversCall = std::function<bool(const CXXMemberCallExpr &)>;

// The plan for the local Var of Coroutine whose type becomes the class template Twin (qualified).
RetypePlan planRetype(const VarDecl &Var, const FunctionDecl &Coroutine, llvm::StringRef Twin,
                      const CoversCall &Covers, const OffloadTest &Offloads, ASTContext &Ctx);

// The declaration's type with its template's name replaced, as written ("" when it is not
// written as a specialisation of a named template, e.g. `auto` or an alias).
std::string respelledType(const DeclaratorDecl &D, llvm::StringRef Twin, ASTContext &Ctx);

} // namespace clang::tidy::aorm
