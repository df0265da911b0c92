// Line and column of a byte offset in a file, for the JSON and SARIF reports.
#pragma once

#include "clang/Basic/FileManager.h"
#include "clang/Basic/SourceManager.h"
#include "llvm/ADT/StringMap.h"

#include <memory>
#include <optional>

namespace aorm::tidy {

struct LineColumn {
  unsigned Line = 0;            // 1-based.
  unsigned Column = 0;          // 1-based, in bytes (as clang reports it).
  unsigned CodePointColumn = 0; // 1-based, in Unicode code points (what SARIF declares).
};

class SourcePositions {
public:
  SourcePositions();
  ~SourcePositions();
  // std::nullopt when the file cannot be read or Offset lies past its end.
  std::optional<LineColumn> at(llvm::StringRef File, unsigned Offset);

private:
  clang::FileSystemOptions FSOpts;
  llvm::IntrusiveRefCntPtr<clang::DiagnosticIDs> DiagIDs;
  llvm::IntrusiveRefCntPtr<clang::DiagnosticOptions> DiagOpts;
  std::unique_ptr<clang::DiagnosticsEngine> Diags;
  std::unique_ptr<clang::FileManager> Files;
  std::unique_ptr<clang::SourceManager> Sources;
  llvm::StringMap<clang::FileID> IDs;
};

} // namespace aorm::tidy
