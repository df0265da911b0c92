// What the language says is awaitable: a task (a coroutine return type whose promise starts
// suspended) or an awaiter/awaitable (await_ready/await_suspend/await_resume, or a member or free
// operator co_await). AORM_AWAITABLE stays an explicit override; AORM_LAZY types (a QuerySet
// refuses co_await) and generators (ranges) are not tasks. Answers are cached per class.
#pragma once

#include "clang/AST/ASTContext.h"
#include "clang/AST/Type.h"

namespace clang::tidy::aorm {

// Whether a value of type T is work that only happens when awaited: dropping it is a bug.
bool isAwaitableType(QualType T);

// The type `co_await` on a value of type T yields (await_resume's return type; for a task the
// language cannot tell, its first template argument), or a null type when T is not awaitable.
QualType awaitedType(QualType T);

// Forgets the cached answers; every check calls it when a translation unit starts, since the
// declarations of the previous one are gone.
void resetAwaitableCache();

} // namespace clang::tidy::aorm
