// aorm-blocking-call-in-coroutine: a blocking ORM call (declared with AORM_BLOCKING, or listed in
// the BlockingFunctions option) that runs on the event loop: in a coroutine's own code or a lambda
// it runs in place, directly or through sync functions of the same file.
// Documentation: docs/checks/aorm-blocking-call-in-coroutine.md
#pragma once

#include "BodyWalk.h"
#include "FunctionList.h"
#include "Profile.h"
#include "CompletionToken.h"
#include "RetypeFix.h"
#include "SummaryAst.h"
#include "clang-tidy/ClangTidyCheck.h"
#include "llvm/ADT/DenseMap.h"
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
  void registerPPCallbacks(const SourceManager &, Preprocessor *PP, Preprocessor *) override {
    this->PP = PP; // read at the end of the TU: which Boost version picks the token
  }
  void onEndOfTranslationUnit() override;
  bool isLanguageVersionSupported(const LangOptions &LangOpts) const override {
    return LangOpts.CPlusPlus20;
  }

  // What makes a callee blocking, and what replaces it.
  struct Blocker {
    std::string Twin;           // awaitable replacement; empty when there is none
    bool QualifiedTwin = false; // Twin names a whole function ("ns::f"), not a sibling member
    bool AwaitArgument = false; // the call only drives its awaitable argument: await that
    std::string Advice;         // a profile's advice when there is no twin
    bool Token = false;         // the twin takes the coroutine's completion token last
    std::string Retype;         // the class template the call's object becomes (profile fix)
    std::string Why;            // said after the advice (a profile's known deadlock)
  };

  // Called by the walk of a coroutine body for each node that runs on the loop.
  struct Site {
    const Path &Walk;
    const Place &Here;
    const FunctionDecl &Coroutine;
  };
  void onCall(const CallExpr &Call, const Site &S);
  // A lambda's call operator whose body a coroutine walk enters: chains do not go through it.
  void markInPlace(const FunctionDecl &Op) { InPlaceOperators.insert(Op.getCanonicalDecl()); }
  void onConstruct(const CXXConstructExpr &Construct, const Site &S);
  void onRangeFor(const CXXForRangeStmt &For, const Site &S);
  bool offloads(const FunctionDecl &FD) {
    return Offloading.contains(FD, *Ctx) || ProfileOffloading.contains(FD, *Ctx) ||
           Profiles.offloads(FD) || offloadsByIntent(FD);
  }

private:
  static bool offloadsByIntent(const FunctionDecl &FD);
  std::optional<Blocker> blockerOf(const FunctionDecl *FD, const CXXRecordDecl *Object = nullptr);
  std::optional<Blocker> dependentBlocker(const Expr *Callee);

  // One step of a transitive chain: Call, inside some function, reaches Callee.
  struct Step {
    const Expr *Call = nullptr;
    const FunctionDecl *Callee = nullptr;
  };
  struct Reach {
    bool Blocks = false;
    Step First; // the call in this function that leads to the blocking call
    // When collecting a summary and Blocks is false: the calls other files may make block.
    std::vector<summary::Call> Open;
  };
  const Reach &reach(const FunctionDecl *FD);
  // Whether the call Call (to Callee) blocks through Callee's body, or through every override
  // when it dispatches virtually; First is the step to show.
  bool callReaches(const Expr &Call, const FunctionDecl *Callee, Step &First);
  bool follows(const Expr &Call, const FunctionDecl *Callee);

  void diagnoseDirect(const CallExpr &Call, const FunctionDecl *Callee, const Blocker &B,
                      const Site &S);
  void diagnoseReceiver(const Expr &At, const Expr &Receiver, const Blocker &B,
                        llvm::StringRef What, bool ParensAround, llvm::StringRef Tail,
                        const Site &S, bool FixAllowed, llvm::StringRef Instead = "");
  void diagnoseTransitive(const Expr &Call, const FunctionDecl *Callee, const Step &First,
                          const Site &S);
  std::string where(const Site &S) const;

  // Calls into other files (ProjectSummary.h): a call the TU cannot judge alone is recorded for
  // aorm-tidy, or judged with the summary file the ProjectSummary option names.
  bool mayBlockElsewhere(const Expr &Call, const FunctionDecl *Callee, bool &Virtual);
  void onOpenCall(const Expr &Call, const FunctionDecl *Callee, const Site &S);
  void summarizeTu();
  summary::Call summaryCall(const Expr &Call, const FunctionDecl *Callee, bool Blocks,
                            bool Virtual);

  const std::string RawBlockingFunctions;
  const std::string RawOffloadingFunctions;
  const std::string RawProfiles;
  const std::string RawProfileFile;
  const std::string RawProjectSummary;
  summary::TuSummary *Collector = nullptr; // aorm-tidy's, for this TU
  std::shared_ptr<const summary::ProjectSummary> Project; // from RawProjectSummary
  bool ProjectLoaded = false;
  summary::UsrCache Usrs;
  void loadProfiles();
  void diagnoseAwaitArgument(const CallExpr &Call, const FunctionDecl *Callee, const Site &S);
  void diagnoseRetype(const CallExpr &Call, const FunctionDecl *Callee, const Blocker &B,
                      const Site &S);
  llvm::DenseMap<const VarDecl *, RetypePlan> Retypes; // per local whose type a fix changes
  llvm::DenseMap<const TokenEntry *, ChosenToken> Tokens; // per awaitable type, once per TU
  const Preprocessor *PP = nullptr;
  // What a finding without a twin says to do: aorm's sync_to_async where the file has it, a
  // neutral "move it off the event loop" in code that does not use aorm.
  std::optional<bool> AormDeclared;
  bool usesAorm();
  std::string offloadAdvice() {
    return usesAorm() ? "move it into 'co_await aorm::sync_to_async(...)'"
                      : "move it off the event loop (onto a worker thread whose result the "
                        "coroutine awaits)";
  }
  FunctionList Listed;     // BlockingFunctions: name=replacement
  FunctionList Offloading; // OffloadingFunctions: calls that run their callable on another thread
  ProfileIndex Profiles;   // the blocking entries of the chosen profiles
  FunctionList ProfileOffloading; // their offloading calls
  ASTContext *Ctx = nullptr;
  std::vector<const FunctionDecl *> Coroutines; // walked at the end, once overrides are all seen
  llvm::DenseMap<const FunctionDecl *, llvm::SmallVector<const CXXMethodDecl *, 2>> Overriders;
  llvm::SmallPtrSet<const FunctionDecl *, 8> InPlaceOperators;
  llvm::DenseMap<const FunctionDecl *, Reach> Reaches;
  ReportOnce Reported;
};

} // namespace clang::tidy::aorm
