// Runs the clang-tidy engine over one translation unit, or replays it from the cache.
//
// Each call builds its own ClangTidyContext and options provider, so calls on different threads
// share nothing but the (read-only) check registry and the cache.
#pragma once

#include "Findings.h"
#include "ResultCache.h"

#include "clang-tidy/ClangTidyOptions.h"
#include "clang/Tooling/CompilationDatabase.h"

#include <memory>
#include <mutex>
#include <set>
#include <string>

namespace aorm::tidy {

// Problems in .clang-tidy files met while running, reported once at the end (exit code 2).
class ConfigErrors {
public:
  void add(std::string Message);
  std::set<std::string> take();

private:
  std::mutex Mutex;
  std::set<std::string> Messages;
};

// Collects a TU's cross-file summary while the checks run. The binary that links the checks
// provides it; begin() and end() run on the thread that runs the TU, around it.
class SummaryHooks {
public:
  virtual ~SummaryHooks() = default;
  virtual void begin() = 0;
  virtual std::string end() = 0; // the summary, as text
};

struct TidySettings {
  clang::tidy::ClangTidyGlobalOptions Global;
  clang::tidy::ClangTidyOptions Defaults;  // The tool's own defaults (Checks: aorm-*).
  clang::tidy::ClangTidyOptions Overrides; // From the command line (-checks, --header-filter...).
  // From --config / --config-file; when set, .clang-tidy files are not read.
  std::optional<clang::tidy::ClangTidyOptions> Config;
  bool FixNotes = false;
  ResultCache *Cache = nullptr; // Optional.
  ConfigErrors *Errors = nullptr;
  SummaryHooks *Summaries = nullptr; // Optional.
};

// The provider clang-tidy itself would build for these settings (.clang-tidy discovery unless a
// config is given). Parse errors in .clang-tidy files are recorded in Settings.Errors.
std::unique_ptr<clang::tidy::ClangTidyOptionsProvider>
makeOptionsProvider(const TidySettings &Settings);

// Analyse File, whose command is in Db (the caller has checked that it is).
TuResult analyzeTu(const clang::tooling::CompilationDatabase &Db, const std::string &File,
                   const TidySettings &Settings);

} // namespace aorm::tidy
