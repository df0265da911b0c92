// Library profiles: data files (checks/profiles/<library>.yaml, embedded at build time) that
// declare, for code that cannot carry AORM_* annotations, which calls block, what replaces each
// one and how the fix is spelled, and which calls run their callable on another thread.
// docs/profiles.md describes the format.
#pragma once

#include "clang/AST/Decl.h"
#include "clang/AST/DeclCXX.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/GlobPattern.h"
#include <string>
#include <vector>

namespace clang::tidy::aorm {

// How a finding's fix-it is spelled.
enum class FixKind {
  Note,          // no mechanical twin: the advice says what to do
  Member,        // `x.f(args)` → `co_await x.twin(args)` (a sibling member or function)
  Qualified,     // `f(args)` → `co_await ns::twin(args)`
  AwaitArgument, // `sync_wait(t)` → `co_await (t)`: the call only drives an awaitable
  Retype,        // `Mapper<T> m; m.f(args)` → `CoroMapper<T> m; co_await m.f(args)`: the object's
                 // class template becomes Twin, whose same-named members are awaitable
};

struct BlockingEntry {
  std::string Name;     // plain qualified name (QualifiedName.h)
  std::string Receiver; // optional: the class the call's object (or a free function's first
                        // parameter) must be or derive from
  std::string Twin;     // for Member: the sibling's name; for Qualified and Retype: the
                        // qualified name (Retype: of the class template)
  FixKind Fix = FixKind::Note;
  std::string Advice;   // what the message says instead of a twin (Note, or no usable twin)
  std::string Why;      // optional: said after the fix or advice (a known deadlock)
  std::string WhenDeclared; // optional: the entry holds only where this qualified name is
                            // declared (advice naming a framework the file uses)
  bool Token = false;   // the twin takes a completion token as its last argument (Asio)
  std::string FirstParameter; // optional: the first parameter's type, canonical and without
                              // reference or const ("std::shared_ptr<drogon::orm::DbClient>")
  int Parameters = -1;  // optional: the blocking overload's required parameters, where an async
                        // overload shares the name (drogon's HttpClient::sendRequest)
  std::string Profile;  // the profile it comes from, for messages
};

// The completion token a coroutine of an awaitable type passes to an asynchronous operation so
// that `co_await` yields its result (boost::asio::awaitable → boost::asio::use_awaitable).
struct TokenEntry {
  std::string Awaitable;
  std::string Token;
  std::vector<std::string> Alternatives; // other tokens `co_await` takes (boost::asio::deferred)
  std::string NoneWhen; // "MACRO >= N": from then on the operation needs no token at all
};

// A call that runs its callable on another thread only when its first parameter (the execution
// context or executor) is of a class: asio::post(pool, f) on a thread_pool, not on an io_context.
struct OffloadEntry {
  std::string Name;
  std::string Receiver;
};

struct Profile {
  std::string Name;
  std::vector<BlockingEntry> Blocking;
  std::vector<TokenEntry> Tokens;
  std::vector<std::string> Offloading;
  std::vector<OffloadEntry> OffloadingOn;
};

// Parses a profile; an error names BufferName, the line and the column.
llvm::Expected<Profile> parseProfile(llvm::StringRef Text, llvm::StringRef BufferName);

// The profiles built into the binaries, parsed once; a profile that does not parse is an error
// the checks report (the lit tests run every profile).
struct BuiltinProfiles {
  std::vector<Profile> Profiles;
  std::vector<std::string> Errors;
};
const BuiltinProfiles &builtinProfiles();

// The blocking entries of the chosen profiles, looked up per callee.
class ProfileIndex {
public:
  void add(const Profile &P);
  // The entry for FD (the first in profile order whose receiver condition holds and whose
  // qualified twin is declared in this translation unit), or nullptr.
  // Object is the class of the object a member call is made on: a member inherited from an
  // implementation base (std::future's wait() from std::__basic_future) is named by that class.
  const BlockingEntry *find(const FunctionDecl &FD, const CXXRecordDecl *Object = nullptr);
  void clearCache() {
    Cache.clear();
    Declared.clear();
    OffloadCache.clear();
  }
  // The completion tokens for a coroutine whose return type is the class Awaitable, or nullptr.
  const TokenEntry *tokenFor(const CXXRecordDecl *Awaitable) const;
  bool empty() const { return Entries.empty(); }
  // Whether FD is an offloading entry whose receiver condition holds.
  bool offloads(const FunctionDecl &FD);

private:
  bool holds(const BlockingEntry &E, const FunctionDecl &FD, const CXXRecordDecl *Object);
  const BlockingEntry *findPattern(const FunctionDecl &FD, const CXXRecordDecl *Object);
  bool declared(llvm::StringRef Qualified, const FunctionDecl &From);
  std::vector<BlockingEntry> Entries;
  llvm::StringMap<std::vector<unsigned>> ByLastName; // entries per unqualified name
  // Entries whose name is a glob ("drogon_model::*::get*", generated per model): the literal
  // start of the last name is checked first, so other callees pay one prefix test per pattern.
  struct Pattern {
    unsigned Entry;
    std::string Prefix;
    llvm::GlobPattern Glob;
  };
  std::vector<Pattern> Patterns;
  const BlockingEntry *lookup(llvm::StringRef Full, const FunctionDecl &FD,
                              const CXXRecordDecl *Object, const std::vector<unsigned> &Candidates);
  llvm::DenseMap<std::pair<const FunctionDecl *, const CXXRecordDecl *>, const BlockingEntry *>
      Cache;
  llvm::StringMap<bool> Declared;
  std::vector<OffloadEntry> Offloads;
  llvm::StringMap<std::vector<unsigned>> OffloadsByLastName;
  llvm::DenseMap<const FunctionDecl *, bool> OffloadCache;
  llvm::StringMap<TokenEntry> Tokens; // awaitable class → its tokens
};

} // namespace clang::tidy::aorm
