#include "Findings.h"

#include "llvm/Support/Path.h"

#include <algorithm>
#include <tuple>

namespace aorm::tidy {

const char *statusName(TuStatus S) {
  switch (S) {
  case TuStatus::Analyzed:
    return "analyzed";
  case TuStatus::Cached:
    return "cached";
  case TuStatus::CompileFailed:
    return "compile-failed";
  case TuStatus::NotInDatabase:
    return "not-in-database";
  case TuStatus::Missing:
    return "missing";
  }
  return "unknown";
}

bool isCompilerError(const ClangTidyError &E) {
  return E.DiagLevel == ClangTidyError::Error &&
         llvm::StringRef(E.DiagnosticName).starts_with("clang-diagnostic-");
}

static std::string absoluteIn(llvm::StringRef Dir, llvm::StringRef Path) {
  if (Path.empty() || llvm::sys::path::is_absolute(Path))
    return Path.str();
  llvm::SmallString<256> Abs(Dir);
  llvm::sys::path::append(Abs, Path);
  llvm::sys::path::remove_dots(Abs, /*remove_dot_dot=*/true);
  return Abs.str().str();
}

static void makeAbsolute(clang::tooling::DiagnosticMessage &M, llvm::StringRef Dir) {
  M.FilePath = absoluteIn(Dir, M.FilePath);
  for (clang::tooling::FileByteRange &R : M.Ranges)
    R.FilePath = absoluteIn(Dir, R.FilePath);
  llvm::StringMap<clang::tooling::Replacements> Fixes;
  for (const auto &Entry : M.Fix)
    for (const clang::tooling::Replacement &R : Entry.getValue()) {
      std::string File = absoluteIn(Dir, R.getFilePath());
      // Same offsets in the same file: adding cannot conflict.
      llvm::consumeError(Fixes[File].add(
          clang::tooling::Replacement(File, R.getOffset(), R.getLength(), R.getReplacementText())));
    }
  M.Fix = std::move(Fixes);
}

void makePathsAbsolute(ClangTidyError &E) {
  makeAbsolute(E.Message, E.BuildDirectory);
  for (clang::tooling::DiagnosticMessage &N : E.Notes)
    makeAbsolute(N, E.BuildDirectory);
}

static auto sortKey(const ClangTidyError &E) {
  return std::tie(E.Message.FilePath, E.Message.FileOffset, E.DiagnosticName, E.Message.Message);
}

std::vector<ClangTidyError> mergeFindings(const std::vector<TuResult> &Results) {
  std::vector<ClangTidyError> All;
  for (const TuResult &R : Results)
    All.insert(All.end(), R.Errors.begin(), R.Errors.end());
  std::stable_sort(All.begin(), All.end(), [](const ClangTidyError &A, const ClangTidyError &B) {
    return sortKey(A) < sortKey(B);
  });
  All.erase(std::unique(All.begin(), All.end(),
                        [](const ClangTidyError &A, const ClangTidyError &B) {
                          return sortKey(A) == sortKey(B);
                        }),
            All.end());
  return All;
}

} // namespace aorm::tidy
