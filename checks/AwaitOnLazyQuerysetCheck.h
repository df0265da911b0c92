// aorm-await-on-lazy-queryset: a `co_await` whose result is a lazy query set: it fetches nothing,
// and evaluating the query set later blocks the event loop. A note shows where that happens.
// Documentation: docs/checks/aorm-await-on-lazy-queryset.md
#pragma once

#include "Awaitable.h"
#include "BodyWalk.h"
#include "clang-tidy/ClangTidyCheck.h"

namespace clang::tidy::aorm {

class AwaitOnLazyQuerysetCheck : public ClangTidyCheck {
public:
  using ClangTidyCheck::ClangTidyCheck;
  void registerMatchers(ast_matchers::MatchFinder *Finder) override;
  void check(const ast_matchers::MatchFinder::MatchResult &Result) override;
  void onStartOfTranslationUnit() override {
    Reported.clear();
    resetAwaitableCache();
  }
  bool isLanguageVersionSupported(const LangOptions &LangOpts) const override {
    return LangOpts.CPlusPlus20;
  }

  // Where a query set is evaluated: "'count'", "the range-for".
  struct Evaluation {
    SourceLocation Loc;
    std::string How;
  };
  struct Finding {
    const CoawaitExpr *Await = nullptr;
    const Expr *Task = nullptr; // the awaited task, or a task handed to the awaited call
    const Expr *Via = nullptr;  // the awaited call that waits for Task (gather), if not Await
    const VarDecl *Var = nullptr; // the variable initialised with the query set
    std::optional<Evaluation> Later;
  };
  void diagnose(const Finding &F, ASTContext &Ctx);

private:
  ReportOnce Reported;
};

} // namespace clang::tidy::aorm
