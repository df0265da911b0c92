// aorm-missing-co-await: a task that is never awaited, so the work it stands for never runs:
// discarded, stored and left un-awaited on some path, awaited twice, used after a move, or made
// where nothing can await it.
// Documentation: docs/checks/aorm-missing-co-await.md
#pragma once

#include "Awaitable.h"
#include "BodyWalk.h"
#include "TaskFlow.h"
#include "clang-tidy/ClangTidyCheck.h"
#include <memory>

namespace clang::tidy::aorm {

class MissingCoAwaitCheck : public ClangTidyCheck {
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

  // A task made in the walked function: what became of it is decided at the end of the walk.
  struct Made {
    const Expr *Producer = nullptr; // the call (or co_await) that yields the task
    const VarDecl *Stored = nullptr;
    const DeclStmt *Decl = nullptr; // the statement declaring Stored
    std::string Fate;               // for a discarded task: how it is dropped
    bool FixAllowed = false;
  };
  void diagnose(const FunctionDecl &Fn, const Made &M, llvm::ArrayRef<TaskUse> Uses,
                const TaskFlow *Flow, ASTContext &Ctx);

private:
  void checkFunction(const FunctionDecl &Fn, ASTContext &Ctx);
  ReportOnce Reported;
};

} // namespace clang::tidy::aorm
