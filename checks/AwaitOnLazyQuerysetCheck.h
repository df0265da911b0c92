// aorm-await-on-lazy-queryset: a `co_await` whose result is a lazy query set (AORM_LAZY): the
// await fetched nothing, and evaluating the query set later blocks the event loop.
#pragma once

#include "clang-tidy/ClangTidyCheck.h"
#include "llvm/ADT/DenseSet.h"

namespace clang::tidy::aorm {

class AwaitOnLazyQuerysetCheck : public ClangTidyCheck {
public:
  using ClangTidyCheck::ClangTidyCheck;
  void registerMatchers(ast_matchers::MatchFinder *Finder) override;
  void check(const ast_matchers::MatchFinder::MatchResult &Result) override;
  void onStartOfTranslationUnit() override { Reported.clear(); }
  bool isLanguageVersionSupported(const LangOptions &LangOpts) const override {
    return LangOpts.CPlusPlus20;
  }

private:
  llvm::DenseSet<unsigned> Reported; // one report per location across template instantiations
};

} // namespace clang::tidy::aorm
