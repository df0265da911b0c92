// What the checks say about functions and how they splice `co_await` into the source. Shared by
// the three checks.
#pragma once

#include "clang/AST/ASTContext.h"
#include "clang/AST/Expr.h"
#include "clang/AST/ExprCXX.h"
#include "clang/ASTMatchers/ASTMatchers.h"
#include "BodyWalk.h"
#include "clang/Basic/SourceManager.h"
#include <string>

namespace clang::tidy::aorm {

// The body of a coroutine is wrapped in a CoroutineBodyStmt by Sema, dependent ones included.
bool isCoroutine(const FunctionDecl *FD);

// The name a message uses for FD: its plain name, or "lambda" for a lambda's call operator.
std::string displayName(const FunctionDecl *FD);

// "coroutine 'name'", or "coroutine lambda" for a lambda's call operator.
std::string describeFunction(const FunctionDecl *FD, llvm::StringRef Kind);

// Matchers for the places the checks start from: functions and lambdas with a coroutine body.
AST_MATCHER(FunctionDecl, isCoroutineFunction) { return isCoroutine(&Node); }
AST_MATCHER(LambdaExpr, hasCoroutineBody) { return isCoroutine(Node.getCallOperator()); }

// A coroutine that runs on an event loop: not a synchronous generator (co_yield, never co_await).
bool isLoopCoroutine(const FunctionDecl *FD);

// Whether `co_await E` must be parenthesised where the expression at P[Index] stands: it is the
// operand of a postfix operator (member access, subscript, call, postfix ++/--).
bool awaitNeedsParens(const Path &P, size_t Index);

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

// The begin() call a range-for makes on its range (`__range.begin()` or `begin(__range)`), when
// the range is not dependent.
const CallExpr *rangeBeginCall(const CXXForRangeStmt &For);

// The class a dependent type names (through a pointer when IsArrow), looked up in its class
// template's pattern: the candidates a call on it may resolve to.
const CXXRecordDecl *dependentRecord(QualType T, bool IsArrow);

} // namespace clang::tidy::aorm
