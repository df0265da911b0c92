// Cross-file facts for aorm-blocking-call-in-coroutine: what each function defined in a
// translation unit reaches (a per-TU summary, by USR), the coroutine call sites the TU could not
// judge alone, and the merged project summary that judges them.
//
// aorm-tidy collects a TuSummary for every TU while the checks run (one parse), merges them into a
// ProjectSummary, and writes that as a versioned JSON file (docs/checks/
// aorm-blocking-call-in-coroutine.md, "Calls into other files"); the plugin and aorm-clangd read
// the file through the check's ProjectSummary option. Nothing here depends on the AST.
#pragma once

#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace clang::tidy::aorm::summary {

inline constexpr llvm::StringLiteral FileFormat = "aorm-project-summary";
inline constexpr int FileVersion = 1;
// The message of the placeholder finding a collecting check emits for each open call site; the
// collector's owner resolves it once every TU is summarised, or drops it.
inline constexpr llvm::StringLiteral SiteMarker = "aorm-open-call-site #";

struct Location {
  std::string File; // absolute
  unsigned Offset = 0, Line = 0, Column = 0;
};

// A call a summarised function makes on its own thread.
struct Call {
  std::string CalleeUsr; // empty for a call that blocks by itself (annotation, option, profile)
  std::string Callee;    // the callee's name as messages show it
  bool Virtual = false;  // dispatches virtually: blocks when every override in the project does
  Location At;
};

// A function defined in the TU (or a header it includes), with the calls that may make it block.
// When the TU alone shows that it blocks, Calls holds just the first call on that path.
struct Function {
  std::string Usr, Name;
  Location Def;
  std::vector<Call> Calls;
  std::vector<std::string> Overrides; // USRs of the methods it overrides
};

// A call in a coroutine to a function the TU cannot judge alone.
struct Site {
  std::string CalleeUsr;
  bool Virtual = false;
  std::string What;  // "call to 'load'" or "constructor of 'Repo'"
  std::string Where; // "coroutine 'handle'" or "a lambda that coroutine 'handle' runs in place"
  std::string Advice; // what to do instead: await the callee's awaitable sibling, or offload it
};

struct TuSummary {
  std::vector<Function> Functions;
  std::vector<Site> Sites; // indexed by the placeholder findings' "#N"
};

std::string toJson(const TuSummary &S);
llvm::Expected<TuSummary> tuSummaryFromJson(llvm::StringRef Text);

// The collector a tool installs on the thread that runs a TU through the checks; null when none
// (stock clang-tidy, aorm-clangd). The check appends to it; the tool owns it.
TuSummary *&collector();

// One step of a resolved chain: Function calls Callee at At.
struct Link {
  std::string Function, Callee;
  Location At;
};

// The merged project: for each function that blocks, its first blocking call.
class ProjectSummary {
public:
  // Adds a TU's functions; the first definition of a USR wins (callers add TUs in a fixed order).
  void add(const TuSummary &S);
  // Decides, over everything added, which functions block (cycles terminate; a virtual method
  // blocks when every override with a body does).
  void resolve();

  // The chain a call to Usr runs, down to the blocking call; empty when it does not block.
  std::vector<Link> chain(llvm::StringRef Usr, bool Virtual) const;

  std::string toJson() const;
  // A file written by toJson(); errors name the file and what is wrong.
  static llvm::Expected<ProjectSummary> load(llvm::StringRef Path);
  size_t blockingCount() const { return Blocking.size(); }

private:
  struct Resolved {
    std::string Name;
    Location Def;
    Link Step;            // Step.Function == Name
    std::string NextUsr;  // the function Step.Callee runs (an override for a virtual call), or
                          // empty when Step's call blocks by itself
  };
  bool blocks(const std::string &Usr) const { return Blocking.count(Usr) != 0; }
  bool virtualBlocks(const std::string &Usr, std::string &Via) const;
  void selfDispatch();

  std::map<std::string, Function> Functions; // before resolve()
  std::map<std::string, std::vector<std::string>> Overriders;
  std::map<std::string, Resolved> Blocking;
  std::set<std::string> Overridden;              // methods some function overrides
  std::map<std::string, std::string> VirtualVia; // virtual method -> override shown
};

// The finding's message and its notes' messages, shared by every front end.
std::string siteMessage(const Site &S, const std::vector<Link> &Chain);
std::string linkMessage(const Link &L, bool Last);

} // namespace clang::tidy::aorm::summary
