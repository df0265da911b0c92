#include "BlockingCallInCoroutineCheck.h"
#include "CoroutineContext.h"
#include "FixSafety.h"
#include "Intent.h"
#include "QualifiedName.h"

#include "clang/AST/ASTLambda.h"
#include "clang/AST/DeclTemplate.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/StmtCXX.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"
#include "clang-tidy/utils/OptionsUtils.h"
#include "clang/Lex/Lexer.h"
#include "llvm/Support/MemoryBuffer.h"

using namespace clang::ast_matchers;

namespace clang::tidy::aorm {
namespace {

// The walk of one coroutine body: every call, construction and range-for that runs on the loop.
class LoopWalker : public BodyWalker<LoopWalker> {
public:
  LoopWalker(BlockingCallInCoroutineCheck &Check, const FunctionDecl &Coroutine, ASTContext &Ctx)
      : BodyWalker(
            Ctx, [&Check](const FunctionDecl &FD) { return Check.offloads(FD); },
            /*EnterInPlaceLambdas=*/true),
        Check(Check), Coroutine(Coroutine) {}

  bool VisitCallExpr(CallExpr *Call) {
    markInPlaceLambdas(*Call);
    Check.onCall(*Call, {Walk, Here, Coroutine});
    return true;
  }
  bool VisitCXXConstructExpr(CXXConstructExpr *Construct) {
    Check.onConstruct(*Construct, {Walk, Here, Coroutine});
    return true;
  }
  bool VisitCXXForRangeStmt(CXXForRangeStmt *For) {
    Check.onRangeFor(*For, {Walk, Here, Coroutine});
    return true;
  }
private:
  // The walk enters the body of a lambda the call runs in place and reports what blocks there;
  // the call itself must not be reported again for reaching the same calls. Visited before the
  // lambdas below it, so the judgement is made here, as lambdaRun() makes it.
  void markInPlaceLambdas(const CallExpr &Call) {
    auto Mark = [&](const Expr *E) {
      if (const auto *LE = dyn_cast_or_null<LambdaExpr>(E ? E->IgnoreImplicit() : nullptr))
        Check.markInPlace(*LE->getCallOperator());
    };
    if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(&Call);
        Op && Op->getOperator() == OO_Call && Op->getNumArgs() > 0)
      Mark(Op->getArg(0));
    const FunctionDecl *Callee = Call.getDirectCallee();
    if (!Callee || Check.offloads(*Callee))
      return;
    for (const Expr *Arg : Call.arguments())
      Mark(Arg);
  }

  BlockingCallInCoroutineCheck &Check;
  const FunctionDecl &Coroutine;
};

// Calls and constructions a sync function body makes on its own thread, as the loop walk sees
// them; a range-for contributes its begin() call.
class OwnCalls : public BodyWalker<OwnCalls> {
public:
  OwnCalls(ASTContext &Ctx, OffloadTest Offloads)
      : BodyWalker(Ctx, std::move(Offloads), /*EnterInPlaceLambdas=*/true) {}
  std::vector<const Expr *> Calls;
  bool VisitCallExpr(CallExpr *Call) {
    Calls.push_back(Call);
    return true;
  }
  bool VisitCXXConstructExpr(CXXConstructExpr *Construct) {
    Calls.push_back(Construct);
    return true;
  }
  bool VisitCXXForRangeStmt(CXXForRangeStmt *For) {
    if (const CallExpr *Begin = rangeBeginCall(*For))
      Calls.push_back(Begin);
    return true;
  }
};

const FunctionDecl *calleeOf(const Expr &E) {
  if (const auto *Call = dyn_cast<CallExpr>(&E))
    return Call->getDirectCallee();
  if (const auto *Construct = dyn_cast<CXXConstructExpr>(&E))
    return Construct->getConstructor();
  return nullptr;
}

// "()" or "(...)": what the message shows for the arguments as written (default ones are not).
std::string argsPlaceholder(const CallExpr &Call) {
  bool Written = llvm::any_of(Call.arguments(),
                              [](const Expr *A) { return !isa<CXXDefaultArgExpr>(A); });
  return Written ? "(...)" : "()";
}

// Where a finding about a call sits: on the called name (`get` in `m.findFutureOne(q)` ⏎
// `.get()`), where the fix edits, with a range from there to the closing parenthesis, so a chain
// spread over lines is not marked from its start. A free function's range keeps its qualifier.
struct CallSpot {
  SourceLocation Loc;
  SourceRange Range;
};
CallSpot callSpot(const Expr &E) {
  const auto *Call = dyn_cast<CallExpr>(&E);
  if (!Call || isa<CXXOperatorCallExpr>(Call) || !Call->getCallee())
    return {E.getBeginLoc(), E.getSourceRange()};
  const Expr *Callee = Call->getCallee()->IgnoreImplicit();
  SourceLocation Name;
  bool Member = true;
  if (const auto *ME = dyn_cast<MemberExpr>(Callee))
    Name = ME->getMemberLoc();
  else if (const auto *DM = dyn_cast<CXXDependentScopeMemberExpr>(Callee))
    Name = DM->getMemberLoc();
  else if (const auto *UM = dyn_cast<UnresolvedMemberExpr>(Callee))
    Name = UM->getMemberLoc();
  else if (const auto *DRE = dyn_cast<DeclRefExpr>(Callee))
    Name = DRE->getLocation(), Member = false;
  else if (const auto *OE = dyn_cast<OverloadExpr>(Callee))
    Name = OE->getNameLoc(), Member = false;
  // A name spelled in a macro is shown where the call is, as clang shows the rest of it.
  if (Name.isInvalid() || Name.isMacroID() || Call->getEndLoc().isMacroID())
    return {Call->getBeginLoc(), Call->getSourceRange()};
  return {Name, {Member ? Name : Call->getBeginLoc(), Call->getEndLoc()}};
}

// The name a call shows: the function's, or the function object's as written (std::ranges::any_of).
std::string calledName(const Expr &Call, const FunctionDecl &Callee, ASTContext &Ctx) {
  if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(&Call);
      Op && Op->getOperator() == OO_Call && Op->getNumArgs() > 0 &&
      isa<CXXRecordDecl>(Callee.getDeclContext())) {
    const auto *Record = cast<CXXRecordDecl>(Callee.getDeclContext());
    std::string Text = shortText(sourceText(*Op->getArg(0), Ctx));
    if (!Record->isLambda() && Text != "...")
      return Text;
  }
  return displayName(&Callee);
}

// The class of a member call's object, before the implicit conversion to the base that declares
// the member.
const CXXRecordDecl *objectClass(const CallExpr &Call) {
  const auto *MC = dyn_cast<CXXMemberCallExpr>(&Call);
  const Expr *Obj = MC ? MC->getImplicitObjectArgument() : nullptr;
  if (!Obj)
    return nullptr;
  QualType T = Obj->IgnoreImpCasts()->getType();
  return (T->isPointerType() ? T->getPointeeType() : T)->getAsCXXRecordDecl();
}

// Whether Call runs Callee through the vtable (so any override may run).
bool dispatchesVirtually(const Expr &Call, const FunctionDecl *Callee, const LangOptions &LO) {
  const auto *MD = dyn_cast_or_null<CXXMethodDecl>(Callee);
  const auto *MC = dyn_cast<CXXMemberCallExpr>(&Call);
  const auto *ME = MC ? dyn_cast<MemberExpr>(MC->getCallee()->IgnoreParens()) : nullptr;
  return MD && MD->isVirtual() && ME && ME->performsVirtualDispatch(LO);
}

bool isTemplateInstance(const FunctionDecl &FD) {
  if (FD.isTemplateInstantiation())
    return true;
  const auto *MD = dyn_cast<CXXMethodDecl>(&FD);
  return MD && isa<ClassTemplateSpecializationDecl>(MD->getParent());
}

} // namespace

BlockingCallInCoroutineCheck::BlockingCallInCoroutineCheck(StringRef Name,
                                                           ClangTidyContext *Context)
    : ClangTidyCheck(Name, Context), RawBlockingFunctions(Options.get("BlockingFunctions", "")),
      RawOffloadingFunctions(Options.get("OffloadingFunctions", "")),
      RawProfiles(Options.get("Profiles", "all")), RawProfileFile(Options.get("ProfileFile", "")),
      RawProjectSummary(Options.get("ProjectSummary", "")) {
  auto Malformed = [&](llvm::StringRef Option) {
    return [this, Option, Name](llvm::StringRef Item) {
      // An error, not a warning: a malformed entry would otherwise silently check nothing.
      configurationDiag("invalid entry '%0' in option '%1' of check '%2': expected "
                        "'qualified::name' or 'qualified::name=replacement'",
                        DiagnosticIDs::Error)
          << Item << Option << Name;
    };
  };
  Listed.parse(RawBlockingFunctions, Malformed("BlockingFunctions"));
  Offloading.parse(RawOffloadingFunctions, Malformed("OffloadingFunctions"));
  loadProfiles();
}

// The built-in profiles the Profiles option names ("all", "none", or a list of names), then the
// user's ProfileFile.
void BlockingCallInCoroutineCheck::loadProfiles() {
  const BuiltinProfiles &Builtin = builtinProfiles();
  for (const std::string &E : Builtin.Errors)
    configurationDiag("built-in profile does not parse: %0", DiagnosticIDs::Error) << E;
  auto Use = [&](const Profile &P) {
    Profiles.add(P);
    for (const std::string &Name : P.Offloading)
      ProfileOffloading.add(Name);
  };
  llvm::StringRef Chosen = llvm::StringRef(RawProfiles).trim();
  if (Chosen == "all") {
    for (const Profile &P : Builtin.Profiles)
      Use(P);
  } else if (Chosen != "none") {
    for (llvm::StringRef Name : utils::options::parseStringList(Chosen)) {
      auto It = llvm::find_if(Builtin.Profiles, [&](const Profile &P) { return P.Name == Name; });
      if (It == Builtin.Profiles.end()) {
        std::string Known;
        for (const Profile &P : Builtin.Profiles)
          Known += (Known.empty() ? "" : ", ") + P.Name;
        configurationDiag("unknown profile '%0' in option 'Profiles' of check '%1'; the built-in "
                          "profiles are %2 (or 'all', 'none')",
                          DiagnosticIDs::Error)
            << Name << "aorm-blocking-call-in-coroutine" << Known;
        continue;
      }
      Use(*It);
    }
  }
  if (RawProfileFile.empty())
    return;
  llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> Buffer =
      llvm::MemoryBuffer::getFile(RawProfileFile);
  if (!Buffer) {
    configurationDiag("cannot read profile file '%0' (option 'ProfileFile' of check '%1'): %2",
                      DiagnosticIDs::Error)
        << RawProfileFile << "aorm-blocking-call-in-coroutine" << Buffer.getError().message();
    return;
  }
  llvm::Expected<Profile> P = parseProfile((*Buffer)->getBuffer(), RawProfileFile);
  if (!P) {
    configurationDiag("invalid profile: %0", DiagnosticIDs::Error) << llvm::toString(P.takeError());
    return;
  }
  Use(*P);
}

void BlockingCallInCoroutineCheck::storeOptions(ClangTidyOptions::OptionMap &Opts) {
  Options.store(Opts, "BlockingFunctions", RawBlockingFunctions);
  Options.store(Opts, "OffloadingFunctions", RawOffloadingFunctions);
  Options.store(Opts, "Profiles", RawProfiles);
  Options.store(Opts, "ProfileFile", RawProfileFile);
  Options.store(Opts, "ProjectSummary", RawProjectSummary);
}

void BlockingCallInCoroutineCheck::onStartOfTranslationUnit() {
  Coroutines.clear();
  Overriders.clear();
  InPlaceOperators.clear();
  Reaches.clear();
  Retypes.clear();
  Tokens.clear();
  AormDeclared.reset();
  Listed.clearCache();
  Offloading.clearCache();
  Profiles.clearCache();
  ProfileOffloading.clearCache();
  Reported.clear();
  resetAwaitableCache();
  Usrs.clear();
  // aorm-tidy collects summaries itself; a summary file is for the front ends that cannot.
  Collector = summary::collector();
  Project.reset();
  ProjectLoaded = false;
}

void BlockingCallInCoroutineCheck::registerMatchers(MatchFinder *Finder) {
  // The rule: the body of every coroutine in user code, functions and lambdas alike, runs on the
  // event loop; the walk of that body finds the blocking calls in it.
  Finder->addMatcher(functionDecl(isDefinition(), isCoroutineFunction(),
                                  unless(cxxMethodDecl(ofClass(cxxRecordDecl(isLambda())))),
                                  unless(isExpansionInSystemHeader()))
                         .bind("coroutine"),
                     this);
  Finder->addMatcher(
      lambdaExpr(hasCoroutineBody(), unless(isExpansionInSystemHeader())).bind("lambda"), this);
  // A virtual call blocks only when every override does: collect them all before judging.
  Finder->addMatcher(cxxMethodDecl(isOverride(), isDefinition()).bind("override"), this);
}

void BlockingCallInCoroutineCheck::check(const MatchFinder::MatchResult &Result) {
  Ctx = Result.Context;
  if (const auto *MD = Result.Nodes.getNodeAs<CXXMethodDecl>("override")) {
    for (const CXXMethodDecl *Base : MD->overridden_methods())
      Overriders[Base->getCanonicalDecl()].push_back(MD);
    return;
  }
  if (const auto *Fn = Result.Nodes.getNodeAs<FunctionDecl>("coroutine"))
    Coroutines.push_back(Fn);
  if (const auto *LE = Result.Nodes.getNodeAs<LambdaExpr>("lambda"))
    for (const FunctionDecl *Op : lambdaBodies(*LE))
      Coroutines.push_back(Op);
}

void BlockingCallInCoroutineCheck::onEndOfTranslationUnit() {
  instantiationsFirst(Coroutines);
  for (const FunctionDecl *Fn : Coroutines)
    if (isLoopCoroutine(Fn))
      LoopWalker(*this, *Fn, *Ctx).walk(userBody(*Fn));
  if (Collector && Ctx)
    summarizeTu();
}

bool BlockingCallInCoroutineCheck::usesAorm() {
  if (!AormDeclared)
    AormDeclared = lookupQualified(*Ctx, "aorm::sync_to_async") != nullptr;
  return *AormDeclared;
}

bool BlockingCallInCoroutineCheck::offloadsByIntent(const FunctionDecl &FD) {
  return findIntent(&FD, OffloadsIntent).has_value();
}

std::optional<BlockingCallInCoroutineCheck::Blocker>
BlockingCallInCoroutineCheck::blockerOf(const FunctionDecl *FD, const CXXRecordDecl *Object) {
  if (!FD)
    return std::nullopt;
  if (auto Twin = findIntent(FD, BlockingIntent))
    return Blocker{Twin->str(), false};
  if (auto Replacement = Listed.find(*FD, *Ctx))
    return Blocker{Replacement->str(), Replacement->contains("::")};
  if (const BlockingEntry *E = Profiles.find(*FD, Object)) {
    Blocker B;
    B.Advice = E->Advice;
    if (E->Fix == FixKind::Member || E->Fix == FixKind::Qualified) {
      B.Twin = E->Twin;
      B.QualifiedTwin = E->Fix == FixKind::Qualified;
    }
    B.AwaitArgument = E->Fix == FixKind::AwaitArgument;
    B.Token = E->Token;
    if (E->Fix == FixKind::Retype)
      B.Retype = E->Twin;
    B.Why = E->Why;
    return B;
  }
  return std::nullopt;
}

// A call whose callee is not resolved yet (dependent receiver or arguments): blocking when every
// candidate the template offers is.
std::optional<BlockingCallInCoroutineCheck::Blocker>
BlockingCallInCoroutineCheck::dependentBlocker(const Expr *Callee) {
  llvm::SmallVector<const NamedDecl *, 4> Candidates;
  if (const auto *DM = dyn_cast_or_null<CXXDependentScopeMemberExpr>(Callee)) {
    if (const CXXRecordDecl *Record = dependentRecord(DM->getBaseType(), DM->isArrow()))
      for (const NamedDecl *D : Record->lookup(DM->getMember()))
        Candidates.push_back(D);
  } else if (const auto *OE = dyn_cast_or_null<OverloadExpr>(Callee)) {
    for (const NamedDecl *D : OE->decls())
      Candidates.push_back(D);
  }
  std::optional<Blocker> Result;
  for (const NamedDecl *D : Candidates) {
    std::optional<Blocker> B = blockerOf(D->getAsFunction());
    if (!B || (Result && Result->Twin != B->Twin))
      return std::nullopt;
    Result = B;
  }
  return Result;
}

// Which callees a chain follows: sync functions written in this project, and template instances
// (std::size, the ranges algorithms) handed a query set, wherever they are written.
bool BlockingCallInCoroutineCheck::follows(const Expr &Call, const FunctionDecl *Callee) {
  const FunctionDecl *Def = nullptr;
  if (!Callee || !Callee->hasBody(Def) || isCoroutine(Def) ||
      isAwaitableType(Def->getReturnType()) || offloads(*Def))
    return false;
  const SourceManager &SM = Ctx->getSourceManager();
  if (!SM.isInSystemHeader(SM.getExpansionLoc(Def->getLocation())))
    return true;
  if (!isTemplateInstance(*Def))
    return false;
  auto Lazy = [](const Expr *E) { return E && isLazyType(E->getType()); };
  if (const auto *C = dyn_cast<CallExpr>(&Call)) {
    if (const auto *MC = dyn_cast<CXXMemberCallExpr>(C); MC && Lazy(MC->getImplicitObjectArgument()))
      return true;
    return llvm::any_of(C->arguments(), Lazy);
  }
  return false;
}

const BlockingCallInCoroutineCheck::Reach &
BlockingCallInCoroutineCheck::reach(const FunctionDecl *FD) {
  FD = FD->getCanonicalDecl();
  auto [It, Inserted] = Reaches.try_emplace(FD);
  if (!Inserted)
    return It->second; // done, or on the current path (a cycle: counts as not blocking yet)
  Reach Result;
  const FunctionDecl *Def = nullptr;
  if (FD->hasBody(Def)) {
    OwnCalls Visitor(*Ctx, [this](const FunctionDecl &F) { return offloads(F); });
    if (const auto *Ctor = dyn_cast<CXXConstructorDecl>(Def))
      for (const CXXCtorInitializer *Init : Ctor->inits())
        if (Init->isWritten())
          Visitor.walk(Init->getInit());
    Visitor.walk(Def->getBody());
    for (const Expr *Call : Visitor.Calls) {
      const FunctionDecl *Callee = calleeOf(*Call);
      Step First;
      if (blockerOf(Callee) || callReaches(*Call, Callee, First)) {
        Result = {true, {Call, Callee}, {}};
        break;
      }
      bool Virtual = false;
      if (Collector && mayBlockElsewhere(*Call, Callee, Virtual))
        Result.Open.push_back(summaryCall(*Call, Callee, false, Virtual));
    }
  }
  // The recursive calls may have grown the map; look the slot up again.
  Reach &Slot = Reaches[FD];
  Slot = Result;
  return Slot;
}

bool BlockingCallInCoroutineCheck::callReaches(const Expr &Call, const FunctionDecl *Callee,
                                               Step &First) {
  if (!Callee || InPlaceOperators.contains(Callee->getCanonicalDecl()))
    return false;
  auto Blocks = [&](const FunctionDecl *F) { return follows(Call, F) && reach(F).Blocks; };
  if (!dispatchesVirtually(Call, Callee, Ctx->getLangOpts())) {
    if (!Blocks(Callee))
      return false;
    First = {&Call, Callee};
    return true;
  }
  // Virtual dispatch: every body the call may run, the callee's own and each override in view,
  // must block.
  llvm::SmallVector<const CXXMethodDecl *, 4> Bodies, Work{cast<CXXMethodDecl>(Callee)};
  llvm::SmallPtrSet<const CXXMethodDecl *, 8> Seen;
  while (!Work.empty()) {
    const CXXMethodDecl *M = Work.pop_back_val();
    if (!Seen.insert(M->getCanonicalDecl()).second)
      continue;
    if (M->hasBody())
      Bodies.push_back(M);
    auto It = Overriders.find(M->getCanonicalDecl());
    if (It != Overriders.end())
      Work.append(It->second.begin(), It->second.end());
  }
  const FunctionDecl *Shown = nullptr;
  for (const CXXMethodDecl *M : Bodies) {
    if (!Blocks(M))
      return false; // blockerOf(M) is a direct blocker: the check reports those as such
    Shown = Shown ? Shown : M;
  }
  if (!Shown)
    return false;
  First = {&Call, Shown};
  return true;
}

std::string BlockingCallInCoroutineCheck::where(const Site &S) const {
  std::string Coroutine = describeFunction(&S.Coroutine, "coroutine");
  return S.Here.InPlaceLambda ? "a lambda that " + Coroutine + " runs in place" : Coroutine;
}

void BlockingCallInCoroutineCheck::onCall(const CallExpr &Call, const Site &S) {
  const SourceManager &SM = Ctx->getSourceManager();
  // System headers are never reported by clang-tidy; skipping them early keeps the check cheap.
  if (Call.getBeginLoc().isInvalid() || SM.isInSystemHeader(Call.getBeginLoc()))
    return;
  const FunctionDecl *Callee = Call.getDirectCallee();
  const CXXRecordDecl *Object = objectClass(Call);
  std::optional<Blocker> B = Callee ? blockerOf(Callee, Object)
                                    : dependentBlocker(Call.getCallee()
                                                           ? Call.getCallee()->IgnoreImplicit()
                                                           : nullptr);
  if (B) {
    diagnoseDirect(Call, Callee, *B, S);
    return;
  }
  Step First;
  if (callReaches(Call, Callee, First))
    diagnoseTransitive(Call, Callee, First, S);
  else if (Callee)
    onOpenCall(Call, Callee, S);
}

void BlockingCallInCoroutineCheck::onConstruct(const CXXConstructExpr &Construct, const Site &S) {
  const SourceManager &SM = Ctx->getSourceManager();
  if (Construct.getBeginLoc().isInvalid() || SM.isInSystemHeader(Construct.getBeginLoc()))
    return;
  Step First;
  const CXXConstructorDecl *Ctor = Construct.getConstructor();
  if (callReaches(Construct, Ctor, First))
    diagnoseTransitive(Construct, Ctor, First, S);
  else if (Ctor)
    onOpenCall(Construct, Ctor, S);
}

void BlockingCallInCoroutineCheck::onRangeFor(const CXXForRangeStmt &For, const Site &S) {
  const Expr *Init = For.getRangeInit();
  if (!Init || Init->getBeginLoc().isInvalid() ||
      Ctx->getSourceManager().isInSystemHeader(Init->getBeginLoc()))
    return;
  std::optional<Blocker> B;
  if (const CallExpr *Begin = rangeBeginCall(For)) {
    B = blockerOf(Begin->getDirectCallee());
  } else if (Init->isTypeDependent() && isLazyType(Init->getType())) {
    // A dependent query set has no begin() call until instantiation: ask the class template.
    if (const CXXRecordDecl *Record = dependentRecord(Init->getType(), false))
      for (const NamedDecl *D : Record->lookup(&Ctx->Idents.get("begin")))
        if ((B = blockerOf(D->getAsFunction())))
          break;
  }
  if (B)
    diagnoseReceiver(*Init, *Init, *B, "range-for over", false, "", S, S.Here.canAwait());
}

void BlockingCallInCoroutineCheck::diagnoseReceiver(const Expr &At, const Expr &Receiver,
                                                    const Blocker &B, llvm::StringRef What,
                                                    bool ParensAround, llvm::StringRef Tail,
                                                    const Site &S, bool FixAllowed,
                                                    llvm::StringRef Instead) {
  if (!Reported.first(At.getBeginLoc()))
    return;
  const bool HasTwin = !B.Twin.empty();
  std::string Obj = sourceText(Receiver, *Ctx);
  auto Await = [&](llvm::StringRef Object) {
    std::string Text = "co_await " +
                       (isPostfixExpression(Receiver) ? Object.str() : "(" + Object.str() + ")") +
                       "." + B.Twin + "()";
    return ParensAround ? "(" + Text + ")" : Text;
  };
  std::string Subject = shortText(Obj) == "..." ? (What + " a query set").str()
                                                : (What + " '" + shortText(Obj) + "'").str();
  std::string Advice = !Instead.empty() ? Instead.str()
                       : HasTwin ? "use '" + Await(shortText(Obj)) + Tail.str() + "' instead"
                                 : offloadAdvice();
  auto D = diag(At.getBeginLoc(), "%0 in %1 blocks the event loop; %2")
           << Subject << where(S) << Advice << At.getSourceRange();
  // Insertions around the receiver rather than a rewrite of it, so fixes inside it (a nested
  // blocking call) still apply.
  CharSourceRange R = fileRange(Receiver.getSourceRange(), *Ctx);
  if (!FixAllowed || !HasTwin || Obj.empty() || R.isInvalid())
    return;
  bool Wrap = !isPostfixExpression(Receiver);
  D << FixItHint::CreateInsertion(R.getBegin(), std::string(ParensAround ? "(" : "") +
                                                    "co_await " + (Wrap ? "(" : ""))
    << FixItHint::CreateInsertion(R.getEnd(), std::string(Wrap ? ")" : "") + "." + B.Twin + "()" +
                                                  (ParensAround ? ")" : ""));
}

void BlockingCallInCoroutineCheck::diagnoseDirect(const CallExpr &Call, const FunctionDecl *Callee,
                                                  const Blocker &B, const Site &S) {
  if (B.AwaitArgument) {
    diagnoseAwaitArgument(Call, Callee, S);
    return;
  }
  if (!B.Retype.empty() && isa<CXXMemberCallExpr>(Call)) {
    diagnoseRetype(Call, Callee, B, S);
    return;
  }
  const bool HasTwin = !B.Twin.empty();
  bool FixAllowed = S.Here.canAwait() && HasTwin;
  std::string Offload =
      B.Advice.empty() ? offloadAdvice() : B.Advice;
  // A profile's advice for a pattern of names says which one with {name}.
  if (size_t At = Offload.find("{name}"); At != std::string::npos && Callee)
    Offload.replace(At, 6, Callee->getNameAsString());
  const SourceManager &SM = Ctx->getSourceManager();
  const LangOptions &LO = Ctx->getLangOpts();
  const size_t Index = S.Walk.size() - 1;

  // Implicit evaluation of a query set: operator[], conversion to bool. The fix awaits the twin
  // on the receiver and keeps the rest of the expression.
  if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(&Call);
      Op && isa_and_nonnull<CXXMethodDecl>(Callee) && Op->getNumArgs() > 0) {
    std::string What = "'operator" + std::string(getOperatorSpelling(Op->getOperator())) + "' on";
    // The element would live in a temporary list that dies with the full expression.
    bool Dangles = bindsReferenceToResult(S.Walk, Index);
    std::string Instead;
    if (Dangles && HasTwin) {
      std::string Obj = shortText(sourceText(*Op->getArg(0), *Ctx));
      Instead = "a fix would bind " + danglingName(S.Walk, Index) + " into the temporary list 'co_await " +
                (Obj == "..." ? "..." : Obj) + "." + B.Twin +
                "()' yields; await that into a named variable first and index it";
    }
    diagnoseReceiver(Call, *Op->getArg(0), B, What, true,
                     Op->getOperator() == OO_Subscript ? "[...]" : "", S, FixAllowed && !Dangles,
                     Instead);
    return;
  }
  if (const auto *MC = dyn_cast<CXXMemberCallExpr>(&Call);
      MC && isa_and_nonnull<CXXConversionDecl>(Callee)) {
    const Expr *Obj = MC->getImplicitObjectArgument();
    if (!Obj)
      return;
    std::string To =
        cast<CXXConversionDecl>(Callee)->getConversionType().getAsString(Ctx->getPrintingPolicy());
    diagnoseReceiver(*Obj, *Obj, B, "conversion to '" + To + "' of",
                     awaitNeedsParens(S.Walk, Index), "", S, FixAllowed);
    return;
  }

  // An explicit call: `recv.get(q)` / `ns::get(q)` becomes `co_await recv.aget(q)`.
  SourceLocation NameLoc;
  const Expr *CalleeExpr = Call.getCallee()->IgnoreImplicit();
  if (const auto *ME = dyn_cast<MemberExpr>(CalleeExpr))
    NameLoc = ME->getMemberLoc();
  else if (const auto *DRE = dyn_cast<DeclRefExpr>(CalleeExpr))
    NameLoc = DRE->getLocation();
  else if (const auto *DM = dyn_cast<CXXDependentScopeMemberExpr>(CalleeExpr))
    NameLoc = DM->getMemberLoc();
  else if (const auto *OE = dyn_cast<OverloadExpr>(CalleeExpr))
    NameLoc = OE->getNameLoc();
  else
    FixAllowed = false;

  // Nested calls can share a start (`Post::objects.get(q).author.get()`); the name tells them
  // apart, also between a template's pattern and its instantiations.
  if (!Reported.first(Call.getBeginLoc(), NameLoc.isValid() ? NameLoc : Call.getExprLoc()))
    return;
  std::string Name =
      Callee ? Callee->getNameAsString()
             : (NameLoc.isValid()
                    ? Lexer::getSourceText(CharSourceRange::getTokenRange(NameLoc), SM, LO).str()
                    : std::string("call"));
  std::string Prefix; // receiver and qualifier as written, up to the callee's name
  if (NameLoc.isValid())
    Prefix = textBetween(Call.getBeginLoc(), NameLoc, *Ctx);
  bool Parens = awaitNeedsParens(S.Walk, Index);
  // An Asio operation is awaited with the completion token of the coroutine's awaitable.
  std::string Token;
  unsigned Written = 0;
  for (const Expr *A : Call.arguments())
    Written += !isa<CXXDefaultArgExpr>(A);
  bool NoToken = false; // the operation's default token is awaitable (Boost >= 1.86)
  if (B.Token) {
    const CXXRecordDecl *Awaitable = S.Coroutine.getReturnType()->getAsCXXRecordDecl();
    if (const TokenEntry *T = Profiles.tokenFor(Awaitable)) {
      auto [It, Inserted] = Tokens.try_emplace(T);
      if (Inserted)
        It->second = chooseToken(*T, *Ctx, PP);
      Token = It->second.Text;
      NoToken = It->second.None;
    }
  }
  std::string Args = !B.Token || NoToken ? argsPlaceholder(Call)
                     : Written == 0 ? "(" + (Token.empty() ? "<token>" : Token) + ")"
                                    : "(..., " + (Token.empty() ? "<token>" : Token) + ")";
  std::string Shown = "co_await " +
                      (B.QualifiedTwin ? B.Twin : (Prefix.size() > 40 ? "..." : Prefix) + B.Twin) +
                      Args;
  if (Prefix.empty() && NameLoc.isValid() && NameLoc != Call.getBeginLoc())
    Shown = "co_await ..." + B.Twin + argsPlaceholder(Call); // receiver hidden in a macro

  // Whether `co_await twin(...)` can stand where the call stands, with the same meaning.
  // A token-taking twin's result type is only known once the token picks it: trust the profile.
  TwinFit Fit = HasTwin && !B.Token ? twinFit(Call, B.Twin, B.QualifiedTwin, S.Walk, Index, *Ctx)
                                    : TwinFit{};
  if (B.Token && Token.empty() && !NoToken)
    Fit.Problem = "use '" + Shown + "' with the completion token this coroutine awaits with "
                  "('use_awaitable' for an 'awaitable' coroutine)";
  std::string Advice = !HasTwin ? Offload
                       : Fit.Problem.empty()
                           ? "use '" + Shown + "' instead"
                           : Fit.Problem;
  if (!B.Why.empty())
    Advice += "; " + B.Why;
  const CallSpot Spot = callSpot(Call);
  auto D = diag(Spot.Loc, "call to '%0' in %1 blocks the event loop; %2")
           << Name << where(S) << Advice << Spot.Range;
  if (!FixAllowed || !Fit.Problem.empty() || NameLoc.isInvalid() ||
      Call.getBeginLoc().isMacroID() || Call.getEndLoc().isMacroID() || NameLoc.isMacroID())
    return;

  // Small edits so that fixes of nested calls do not overlap: the callee's name (or, for a
  // qualified replacement of a free function, the whole callee), `co_await ` in front, and a
  // closing parenthesis when precedence needs one.
  CharSourceRange Renamed;
  if (B.QualifiedTwin) {
    if (!isa<DeclRefExpr, OverloadExpr>(CalleeExpr))
      return; // "ns::f" cannot stand in for a member call
    Renamed = Lexer::makeFileCharRange(
        CharSourceRange::getTokenRange(CalleeExpr->getBeginLoc(), NameLoc), SM, LO);
  } else {
    Renamed = Lexer::makeFileCharRange(CharSourceRange::getTokenRange(NameLoc), SM, LO);
  }
  SourceLocation End = Lexer::getLocForEndOfToken(Call.getEndLoc(), 0, SM, LO);
  bool Close = Parens || !Fit.Cast.empty();
  if (Renamed.isInvalid() || (Close && End.isInvalid()) ||
      (!Token.empty() && (Call.getRParenLoc().isInvalid() || Call.getRParenLoc().isMacroID())))
    return;
  std::string Await = Fit.Cast.empty() ? "" : "static_cast<" + Fit.Cast + ">(";
  Await += Parens && Fit.Cast.empty() ? "(co_await " : "co_await ";
  if (Renamed.getBegin() == Call.getBeginLoc()) {
    D << FixItHint::CreateReplacement(Renamed, Await + B.Twin);
  } else {
    D << FixItHint::CreateInsertion(Call.getBeginLoc(), Await);
    D << FixItHint::CreateReplacement(Renamed, B.Twin);
  }
  if (!Token.empty()) {
    D << FixItHint::CreateInsertion(Call.getRParenLoc(), (Written == 0 ? "" : ", ") + Token);
  }
  if (Close)
    D << FixItHint::CreateInsertion(End, ")");
}

// A call whose fix retypes its object (Mapper<T> → CoroMapper<T>): a local of the coroutine gets
// the whole fix (its declaration and every call of it) with its first finding, when every use is
// covered; a parameter or member gets a note at its declaration saying what to change.
void BlockingCallInCoroutineCheck::diagnoseRetype(const CallExpr &Call, const FunctionDecl *Callee,
                                                  const Blocker &B, const Site &S) {
  const auto &MC = cast<CXXMemberCallExpr>(Call);
  const CallSpot Spot = callSpot(Call);
  if (!Reported.first(Call.getBeginLoc(), Spot.Loc))
    return;
  std::string Name = Callee ? Callee->getNameAsString() : "call";
  const Expr *Obj = chainObject(MC);
  const ValueDecl *Holder = nullptr; // the variable, parameter or member the object is
  if (const auto *Ref = dyn_cast_or_null<DeclRefExpr>(Obj))
    Holder = Ref->getDecl();
  else if (const auto *ME = dyn_cast_or_null<MemberExpr>(Obj))
    Holder = dyn_cast<FieldDecl>(ME->getMemberDecl());
  const auto *Var = dyn_cast_or_null<VarDecl>(Holder);
  const bool Local = Var && !isa<ParmVarDecl>(Var) && Var->isLocalVarDecl() &&
                     Var->getDeclContext() == &S.Coroutine;
  std::string Advice = B.Advice;
  RetypePlan *Plan = nullptr;
  if (Local) {
    auto [It, Inserted] = Retypes.try_emplace(Var);
    if (Inserted) {
      CoversCall Covers = [&](const CXXMemberCallExpr &C) {
        std::optional<Blocker> CB = blockerOf(C.getDirectCallee(), objectClass(C));
        return CB && CB->Retype == B.Retype;
      };
      It->second = planRetype(*Var, S.Coroutine, B.Retype, Covers,
                              [this](const FunctionDecl &F) { return offloads(F); }, *Ctx);
    }
    Plan = &It->second;
    std::string Decl = "declare '" + Var->getNameAsString() + "' as '" + Plan->NewType + "'";
    std::string Prefix = textBetween(Call.getBeginLoc(), Spot.Loc, *Ctx);
    std::string Shown = "co_await " + (Prefix.size() > 40 ? "..." : Prefix) + Name +
                        argsPlaceholder(Call);
    if (Plan->NewType.empty())
      Advice += " (no fix-it: " + Plan->Problem + ")";
    else if (!Plan->Problem.empty())
      Advice = Decl + " and 'co_await' each of its calls (no fix-it: " + Plan->Problem + ")";
    else if (!S.Here.canAwait())
      Advice = Decl + " and 'co_await' this call in the coroutine itself";
    else
      Advice = Decl + " and use '" + Shown + "' instead";
  }
  if (!B.Why.empty())
    Advice += "; " + B.Why;
  {
    auto D = diag(Spot.Loc, "call to '%0' in %1 blocks the event loop; %2")
             << Name << where(S) << Advice << Spot.Range;
    if (Plan && Plan->Problem.empty() && !Plan->Given && S.Here.canAwait()) {
      for (const FixItHint &H : Plan->Edits)
        D << H;
      Plan->Given = true;
    }
  }
  const auto *Declarator = dyn_cast_or_null<DeclaratorDecl>(Holder);
  if (Local || !Declarator || !Declarator->getLocation().isValid())
    return;
  std::string NewType = respelledType(*Declarator, B.Retype, *Ctx);
  if (NewType.empty())
    NewType = B.Retype + "<...>";
  diag(Declarator->getLocation(), "change the type of %0 '%1' to '%2' and 'co_await' its calls",
       DiagnosticIDs::Note)
      << (isa<FieldDecl>(Declarator) ? "member" : isa<ParmVarDecl>(Declarator) ? "parameter"
                                                                                 : "variable")
      << Declarator->getName() << NewType;
}

// `sync_wait(t)` in a coroutine blocks the loop until t is done, which may need the loop itself:
// `co_await (t)` does the same without blocking.
void BlockingCallInCoroutineCheck::diagnoseAwaitArgument(const CallExpr &Call,
                                                         const FunctionDecl *Callee,
                                                         const Site &S) {
  if (!Reported.first(Call.getBeginLoc(), Call.getExprLoc()))
    return;
  const SourceManager &SM = Ctx->getSourceManager();
  const LangOptions &LO = Ctx->getLangOpts();
  const Expr *Arg = Call.getNumArgs() == 1 ? Call.getArg(0) : nullptr;
  std::string Name = Callee ? Callee->getNameAsString() : "call";
  std::string ArgText = Arg ? shortText(sourceText(*Arg, *Ctx)) : "...";
  bool FixAllowed = Arg && S.Here.canAwait();
  std::string Advice = !Arg ? "'co_await' what it waits for instead"
                       : S.Here.canAwait()
                           ? "use 'co_await " + ArgText + "' instead"
                           : "'co_await " + ArgText + "' in the coroutine itself instead";
  const CallSpot Spot = callSpot(Call);
  auto D = diag(Spot.Loc, "call to '%0' in %1 blocks the event loop; %2")
           << Name << where(S) << Advice << Spot.Range;
  if (!FixAllowed)
    return;
  // `ns::sync_wait(t)` becomes `co_await (t)`: the callee and its parenthesis are replaced, the
  // argument and the closing parenthesis stay.
  CharSourceRange Head = Lexer::makeFileCharRange(
      CharSourceRange::getCharRange(Call.getBeginLoc(), Arg->getBeginLoc()), SM, LO);
  SourceLocation End = Lexer::getLocForEndOfToken(Call.getEndLoc(), 0, SM, LO);
  if (Head.isInvalid() || End.isInvalid() || Call.getEndLoc().isMacroID())
    return;
  bool Parens = awaitNeedsParens(S.Walk, S.Walk.size() - 1);
  D << FixItHint::CreateReplacement(Head, Parens ? "(co_await (" : "co_await (");
  if (Parens)
    D << FixItHint::CreateInsertion(End, ")");
}

void BlockingCallInCoroutineCheck::diagnoseTransitive(const Expr &Call,
                                                      const FunctionDecl *Callee,
                                                      const Step &First, const Site &S) {
  // Walk the chain down to the blocking call for the message and the notes.
  llvm::SmallVector<std::pair<const FunctionDecl *, Step>, 4> Chain;
  const FunctionDecl *At = First.Callee; // the callee, or the override shown for a virtual call
  for (int Guard = 0; Guard < 64 && At; ++Guard) {
    const Reach &R = reach(At);
    if (!R.Blocks)
      break;
    Chain.push_back({At, R.First});
    if (blockerOf(R.First.Callee))
      break;
    At = R.First.Callee;
  }
  if (Chain.empty() || !Reported.first(Call.getBeginLoc()))
    return;
  const FunctionDecl *Blocking = Chain.back().second.Callee;
  std::string Name = isa<CXXConstructorDecl>(Callee) ? "constructor of '" +
                                                           cast<CXXConstructorDecl>(Callee)
                                                               ->getParent()
                                                               ->getNameAsString() +
                                                           "'"
                                                     : "call to '" + calledName(Call, *Callee, *Ctx) + "'";
  const CallSpot Spot = callSpot(Call);
  diag(Spot.Loc, "%0 in %1 blocks the event loop: it reaches blocking '%2'; %3")
      << Name << where(S) << Blocking->getNameAsString()
      << (usesAorm() ? "use 'co_await aorm::sync_to_async(...)' around it instead"
                     : "move it off the event loop instead")
      << Spot.Range;
  for (const auto &[Fn, St] : Chain) {
    bool Last = &St == &Chain.back().second;
    const CallSpot NoteAt = callSpot(*St.Call);
    diag(NoteAt.Loc, Last ? "'%0' calls blocking '%1' here" : "'%0' calls '%1' here",
         DiagnosticIDs::Note)
        << displayName(Fn) << displayName(St.Callee) << NoteAt.Range;
  }
}

// A call whose callee another file may define or make block: a project function (declared
// outside system headers) that is neither awaitable nor offloading. Whether it blocks is for the
// project summary to say.
bool BlockingCallInCoroutineCheck::mayBlockElsewhere(const Expr &Call, const FunctionDecl *Callee,
                                                     bool &Virtual) {
  if (!Callee || Callee->getBuiltinID() || InPlaceOperators.contains(Callee->getCanonicalDecl()))
    return false;
  const SourceManager &SM = Ctx->getSourceManager();
  if (SM.isInSystemHeader(SM.getExpansionLoc(Callee->getCanonicalDecl()->getLocation())) ||
      isAwaitableType(Callee->getReturnType()) || offloads(*Callee))
    return false;
  if (const FunctionDecl *Def = nullptr; Callee->hasBody(Def) && (isCoroutine(Def) || offloads(*Def)))
    return false;
  Virtual = dispatchesVirtually(Call, Callee, Ctx->getLangOpts());
  return !Usrs.of(Callee).empty();
}

summary::Call BlockingCallInCoroutineCheck::summaryCall(const Expr &Call,
                                                        const FunctionDecl *Callee, bool Blocks,
                                                        bool Virtual) {
  return {Blocks ? std::string() : Usrs.of(Callee), displayName(Callee), Virtual,
          summary::locationOf(callSpot(Call).Loc, *Ctx)};
}

void BlockingCallInCoroutineCheck::onOpenCall(const Expr &Call, const FunctionDecl *Callee,
                                              const Site &S) {
  bool Virtual = false;
  if ((!Collector && RawProjectSummary.empty()) || !mayBlockElsewhere(Call, Callee, Virtual))
    return;
  const CallSpot Spot = callSpot(Call);
  SourceLocation Loc = Spot.Loc;
  if (Loc.isMacroID() || !Reported.first(Loc, Call.getEndLoc()))
    return;
  const auto *Ctor = dyn_cast<CXXConstructorDecl>(Callee);
  summary::Site Open{Usrs.of(Callee), Virtual,
                     Ctor ? "constructor of '" + Ctor->getParent()->getNameAsString() + "'"
                          : "call to '" + calledName(Call, *Callee, *Ctx) + "'",
                     where(S), ""};
  std::string Sibling = summary::awaitableSibling(*Callee);
  Open.Advice = !Sibling.empty() ? "use 'co_await " + Sibling + "(...)' instead"
                : usesAorm()     ? "use 'co_await aorm::sync_to_async(...)' around it instead"
                                 : "move it off the event loop instead";
  if (Collector) {
    // A placeholder the collecting tool resolves once every TU is summarised, or drops; emitted
    // now so NOLINT, header filters and warnings-as-errors apply to it as to any finding.
    diag(Loc, "%0") << (summary::SiteMarker + llvm::Twine(Collector->Sites.size())).str()
                    << Spot.Range;
    Collector->Sites.push_back(std::move(Open));
    return;
  }
  const SourceManager &SM = Ctx->getSourceManager();
  if (!ProjectLoaded) {
    ProjectLoaded = true;
    std::string Error;
    OptionalFileEntryRef Main = SM.getFileEntryRefForID(SM.getMainFileID());
    Project = summary::projectSummaryFor(RawProjectSummary, Main ? Main->getName() : "", Error);
    if (!Project)
      configurationDiag("option 'ProjectSummary' of check '%0': %1", DiagnosticIDs::Error)
          << "aorm-blocking-call-in-coroutine" << Error;
  }
  if (!Project)
    return;
  std::vector<summary::Link> Chain = Project->chain(Open.CalleeUsr, Virtual);
  if (Chain.empty())
    return;
  diag(Loc, "%0") << summary::siteMessage(Open, Chain) << Spot.Range;
  for (const summary::Link &L : Chain) {
    std::string Text = summary::linkMessage(L, &L == &Chain.back());
    SourceLocation At = summary::locate(L.At, *Ctx);
    if (At.isValid())
      diag(At, "%0", DiagnosticIDs::Note) << Text;
    else // the file moved since the summary was written: say where it was
      diag(Loc, "%0", DiagnosticIDs::Note)
          << Text + " (" + L.At.File + ":" + std::to_string(L.At.Line) + ")";
  }
}

// What aorm-tidy needs of this TU: every function the main file defines (and each it reaches),
// whether it blocks and through which call, else the calls other files may make block.
void BlockingCallInCoroutineCheck::summarizeTu() {
  summary::forEachMainFileFunction(*Ctx, [&](const FunctionDecl &FD) {
    if (!isCoroutine(&FD) && !isAwaitableType(FD.getReturnType()) && !offloads(FD) &&
        !isLambdaCallOperator(static_cast<const DeclContext *>(&FD)))
      reach(&FD);
  });
  std::vector<summary::Function> Functions;
  for (const auto &[FD, R] : Reaches) {
    const FunctionDecl *Def = nullptr;
    const auto *MD = dyn_cast<CXXMethodDecl>(FD);
    if (!FD->hasBody(Def) || Usrs.of(FD).empty() ||
        (!R.Blocks && R.Open.empty() && !(MD && MD->isVirtual())))
      continue;
    summary::Function F{Usrs.of(FD), displayName(FD), summary::locationOf(Def->getLocation(), *Ctx),
                        {}, {}};
    if (R.Blocks) {
      bool Direct = blockerOf(R.First.Callee).has_value();
      F.Calls.push_back(summaryCall(*R.First.Call, R.First.Callee, Direct,
                                    !Direct && dispatchesVirtually(*R.First.Call, R.First.Callee,
                                                                   Ctx->getLangOpts())));
    } else {
      F.Calls = R.Open;
    }
    if (MD)
      for (const CXXMethodDecl *Base : MD->overridden_methods())
        if (!Usrs.of(Base).empty())
          F.Overrides.push_back(Usrs.of(Base));
    Functions.push_back(std::move(F));
  }
  llvm::sort(Functions, [](const summary::Function &A, const summary::Function &B) {
    return A.Usr < B.Usr;
  });
  for (summary::Function &F : Functions)
    Collector->Functions.push_back(std::move(F));
}

} // namespace clang::tidy::aorm
