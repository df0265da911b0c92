// Where findings go: clang-tidy's text (printed and fixed by clang-tidy's own handleErrors), JSON,
// SARIF, and clang-apply-replacements YAML.
#pragma once

#include "CommandLine.h"
#include "Findings.h"

#include "clang-tidy/ClangTidyOptions.h"

#include <memory>
#include <string>
#include <vector>

namespace aorm::tidy {

// Sends everything printed to stdout (fd 1) to another file while alive. handleErrors prints
// straight to llvm::outs(); this is how its text lands in -o FILE, or nowhere when fixes are
// applied under another format.
class StdoutRedirect {
public:
  explicit StdoutRedirect(int FD);
  ~StdoutRedirect();
  StdoutRedirect(const StdoutRedirect &) = delete;
  StdoutRedirect &operator=(const StdoutRedirect &) = delete;

private:
  int Saved = -1;
};

struct ReportInput {
  const Invocation &Inv;
  const std::vector<ClangTidyError> &Errors;
  const std::vector<TuResult> &Results;
  const std::vector<std::string> &EnabledChecks;
  std::unique_ptr<clang::tidy::ClangTidyOptionsProvider> Provider; // For handleErrors.
  bool ApplyFixes = false;
};

// Writes the report in the requested format to the output (an already-opened -o FD, or -1 for
// stdout) and applies fixes if asked. Returns false, with a message, if the output fails.
bool writeReport(ReportInput In, int OutputFD);

// clang-apply-replacements YAML of every finding to Path. Returns false with a message naming Path.
bool exportFixes(const std::string &Path, const std::string &MainFile,
                 const std::vector<ClangTidyError> &Errors);

} // namespace aorm::tidy
