// aorm-blocking-call-in-coroutine: a blocking ORM call (declared with AORM_BLOCKING, or listed in
// the BlockingFunctions option) whose nearest enclosing function is a coroutine, directly or
// through sync functions of the same file.
#pragma once

#include "clang-tidy/ClangTidyCheck.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include <optional>
#include <string>
#include <vector>

namespace clang::tidy::aorm {

class BlockingCallInCoroutineCheck : public ClangTidyCheck {
public:
  BlockingCallInCoroutineCheck(StringRef Name, ClangTidyContext *Context);
  void storeOptions(ClangTidyOptions::OptionMap &Opts) override;
  void registerMatchers(ast_matchers::MatchFinder *Finder) override;
  void check(const ast_matchers::MatchFinder::MatchResult &Result) override;
  void onStartOfTranslationUnit() override;
  bool isLanguageVersionSupported(const LangOptions &LangOpts) const override {
    return LangOpts.CPlusPlus20;
  }

  // What makes a callee blocking, and what replaces it.
  struct Blocker {
    std::string Twin;           // awaitable replacement; empty when there is none
    bool QualifiedTwin = false; // Twin names a whole function ("ns::f"), not a sibling member
  };

private:
  std::optional<Blocker> blockerOf(const FunctionDecl *FD, ASTContext &Ctx) const;
  std::optional<Blocker> dependentBlocker(const Expr *Callee, ASTContext &Ctx) const;

  // One step of a transitive chain: Call, inside some function, reaches Callee.
  struct Step {
    const CallExpr *Call = nullptr;
    const FunctionDecl *Callee = nullptr;
  };
  struct Reach {
    bool Visiting = false;
    bool Blocks = false;
    Step First; // the call in this function that leads to the blocking call
  };
  const Reach &reach(const FunctionDecl *FD, ASTContext &Ctx);

  void diagnoseDirect(const CallExpr &Call, const FunctionDecl *Callee, const Blocker &B,
                      const FunctionDecl *Coroutine, bool FixAllowed, ASTContext &Ctx);
  void diagnoseTransitive(const CallExpr &Call, const FunctionDecl *Callee,
                          const FunctionDecl *Coroutine, ASTContext &Ctx);
  // False when this place was reported already (template instantiations share locations).
  bool firstReport(SourceLocation Loc, SourceLocation Other = {});

  struct Entry {
    std::string Name;
    std::string Replacement;
  };
  const std::string RawBlockingFunctions;
  std::vector<Entry> Entries;
  llvm::DenseMap<const FunctionDecl *, Reach> Reaches;
  // BlockingFunctions lookups per function (canonical declaration).
  mutable llvm::DenseMap<const FunctionDecl *, std::optional<Blocker>> ListedCache;
  llvm::DenseSet<uint64_t> Reported;
};

} // namespace clang::tidy::aorm
