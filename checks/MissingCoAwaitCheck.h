// aorm-missing-co-await: an awaitable (a task from an `a`-method or any function returning an
// AORM_AWAITABLE type) that is never awaited, so its work never runs.
#pragma once

#include "clang-tidy/ClangTidyCheck.h"
#include "llvm/ADT/DenseSet.h"

namespace clang::tidy::aorm {

class MissingCoAwaitCheck : public ClangTidyCheck {
public:
  using ClangTidyCheck::ClangTidyCheck;
  void registerMatchers(ast_matchers::MatchFinder *Finder) override;
  void check(const ast_matchers::MatchFinder::MatchResult &Result) override;
  void onStartOfTranslationUnit() override { Reported.clear(); }
  bool isLanguageVersionSupported(const LangOptions &LangOpts) const override {
    return LangOpts.CPlusPlus20;
  }

private:
  llvm::DenseSet<uint64_t> Reported; // one report per location across template instantiations
};

} // namespace clang::tidy::aorm
