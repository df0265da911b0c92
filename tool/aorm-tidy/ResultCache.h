// --cache-dir: findings of a TU whose inputs did not change are replayed instead of recomputed.
//
// An entry is found by a key over the tool binary, the file, its compile command and its effective
// configuration; it holds the content hash of every file the TU read (from the compiler's -MD
// output). It is a hit only if all those files still hash the same, so touching a header misses.
#pragma once

#include "Findings.h"

#include "llvm/Support/Error.h"

#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace aorm::tidy {

class ResultCache {
public:
  // Creates Dir if needed. ToolIdentity distinguishes builds of the tool (see toolIdentity()).
  static llvm::Expected<std::unique_ptr<ResultCache>> open(std::string Dir,
                                                           std::string ToolIdentity);

  // A hex key over the parts (and the tool identity); the parts should cover every input other
  // than file contents that can change a TU's findings.
  std::string key(const std::vector<std::string> &Parts) const;

  struct Entry {
    std::vector<ClangTidyError> Errors;
    std::string Summary; // the TU's cross-file summary, as the collector wrote it
  };
  // The stored entry, if every recorded dependency is unchanged. A corrupt entry is a miss.
  std::optional<Entry> lookupEntry(const std::string &Key);
  std::optional<std::vector<ClangTidyError>> lookup(const std::string &Key) {
    std::optional<Entry> E = lookupEntry(Key);
    return E ? std::optional(std::move(E->Errors)) : std::nullopt;
  }

  // Records Errors (and the TU's summary) together with the current content hash of each file in
  // Dependencies. Returns an error naming the entry if it cannot be written.
  llvm::Error store(const std::string &Key, const std::vector<std::string> &Dependencies,
                    const std::vector<ClangTidyError> &Errors, const std::string &Summary = "");

  // Content hash of a file, memoised for the run (headers repeat across TUs); nullopt if
  // unreadable. Thread-safe.
  std::optional<std::string> contentHash(const std::string &Path);

  const std::string &directory() const { return Dir; }

private:
  ResultCache(std::string Dir, std::string ToolIdentity)
      : Dir(std::move(Dir)), ToolIdentity(std::move(ToolIdentity)) {}
  std::string entryPath(const std::string &Key) const;

  std::string Dir;
  std::string ToolIdentity;
  std::mutex HashesMutex;
  std::map<std::string, std::optional<std::string>> Hashes;
};

// A hash of the running executable: a rebuilt tool (new checks, new fixes) never replays findings
// of an older one.
std::string toolIdentity(const char *Argv0);

} // namespace aorm::tidy
