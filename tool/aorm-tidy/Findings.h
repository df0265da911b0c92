// What one translation unit produced, and the merge that makes -j N output equal -j 1 output.
#pragma once

#include "clang-tidy/ClangTidyDiagnosticConsumer.h"

#include <string>
#include <vector>

namespace aorm::tidy {

using clang::tidy::ClangTidyError;

enum class TuStatus {
  Analyzed,      // Ran the checks.
  Cached,        // Inputs unchanged; findings replayed from --cache-dir.
  CompileFailed, // The compiler reported errors; findings may be incomplete.
  NotInDatabase, // No compile command for the file.
  Missing,       // The file does not exist.
};

const char *statusName(TuStatus S);

struct TuResult {
  std::string File;
  TuStatus Status = TuStatus::Analyzed;
  std::vector<ClangTidyError> Errors;
  std::string Summary; // cross-file summary (SummaryHooks), opaque here
};

// True for a diagnostic the compiler raised as an error (the TU does not compile).
bool isCompilerError(const ClangTidyError &E);

// Rewrites every path in E (message, notes, ranges, fixes) as an absolute path, resolving relative
// ones against E.BuildDirectory: compile databases often name files relative to the build, and
// reports, fixes and cache entries must not depend on the working directory.
void makePathsAbsolute(ClangTidyError &E);

// All findings of all TUs, ordered by file, offset, check and message, with duplicates removed
// (a header's findings repeat in every TU that includes it). The order does not depend on the order
// in which TUs finished, so parallel runs print exactly what a serial run prints.
std::vector<ClangTidyError> mergeFindings(const std::vector<TuResult> &Results);

} // namespace aorm::tidy
