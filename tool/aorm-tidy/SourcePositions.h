// Line and column of a byte offset in a file, and where a finding's underline ends, for the JSON
// and SARIF reports.
#pragma once

#include "clang/Basic/FileManager.h"
#include "clang/Basic/LangOptions.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Tooling/Core/Diagnostic.h"
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

  // The position just past the end of what M underlines (an exclusive end, as SARIF's endColumn):
  // the end of M's first range in M's own file that ends after M's offset (clang also attaches
  // ranges that only lie beside the location, such as the left operand of a binary operator);
  // without one, the end of the token at M's offset. std::nullopt when M has no file, the file
  // cannot be read, or no token starts at the offset.
  std::optional<LineColumn> endOf(const clang::tooling::DiagnosticMessage &M);

private:
  // Invalid when the file cannot be read; remembered either way.
  clang::FileID fileID(llvm::StringRef File);

  clang::FileSystemOptions FSOpts;
  clang::LangOptions LangOpts; // For measuring a token: C++ as the checks parse it.
  llvm::IntrusiveRefCntPtr<clang::DiagnosticIDs> DiagIDs;
  llvm::IntrusiveRefCntPtr<clang::DiagnosticOptions> DiagOpts;
  std::unique_ptr<clang::DiagnosticsEngine> Diags;
  std::unique_ptr<clang::FileManager> Files;
  std::unique_ptr<clang::SourceManager> Sources;
  llvm::StringMap<clang::FileID> IDs;
};

} // namespace aorm::tidy
