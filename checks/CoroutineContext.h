// Where an expression sits: its enclosing function (lambdas included), whether that function is a
// coroutine, whether the expression is evaluated at all, and how to splice `co_await` into the
// source around it. Shared by the three checks.
#pragma once

#include "clang/AST/ASTContext.h"
#include "clang/AST/Expr.h"
#include "clang/AST/ParentMapContext.h"
#include "clang/Basic/SourceManager.h"
#include <string>

namespace clang::tidy::aorm {

struct Enclosing {
  // The function whose body runs the expression: a FunctionDecl or a lambda's call operator.
  const FunctionDecl *Function = nullptr;
  // Inside sizeof, decltype, noexcept(), a requires-expression...: nothing runs.
  bool Unevaluated = false;
  // Inside a catch handler, where `co_await` is ill-formed.
  bool InHandler = false;
  // Part of what Sema adds around a coroutine body (get_return_object, initial_suspend...).
  bool Implicit = false;
};

Enclosing findEnclosing(const Stmt &S, ASTContext &Ctx);

// The body of a coroutine is wrapped in a CoroutineBodyStmt by Sema, dependent ones included.
bool isCoroutine(const FunctionDecl *FD);

// The name a message uses for FD: its plain name, or "lambda" for a lambda's call operator.
std::string displayName(const FunctionDecl *FD);

// "coroutine 'name'", or "coroutine lambda" for a lambda's call operator.
std::string describeFunction(const FunctionDecl *FD, llvm::StringRef Kind);

// The first parent of E that is not an implicit wrapper (casts, temporaries, cleanups, parens
// when SkipParens). Child is set to the node directly below it on that path.
DynTypedNode semanticParent(const Expr &E, ASTContext &Ctx, const Expr **Child = nullptr,
                            bool SkipParens = false);

// Whether `co_await E` must be parenthesised where E stands now: it is the operand of a postfix
// operator (member access, subscript, call, postfix ++/--).
bool awaitNeedsParens(const Expr &E, ASTContext &Ctx);

// Whether E can be followed by `.member()` without parentheses.
bool isPostfixExpression(const Expr &E);

// The source text of E when it is spelled in one file range (not split across a macro);
// empty otherwise.
std::string sourceText(const Expr &E, ASTContext &Ctx);

// E's range as file characters, invalid when a macro hides part of it.
CharSourceRange fileRange(SourceRange R, ASTContext &Ctx);

// The characters from Begin up to (not including) End, when both sit in one file range.
std::string textBetween(SourceLocation Begin, SourceLocation End, ASTContext &Ctx);

// The text shown in a message: the source on one line, or "..." when long or unavailable.
std::string shortText(llvm::StringRef Text);

} // namespace clang::tidy::aorm
