// Runs the aorm clang-tidy checks on one file's unsaved buffer and turns the findings into LSP
// terms (ranges in the negotiated encoding, notes, fix-its as text edits).
#pragma once

#include "Positions.h"

#include <atomic>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace clang::tooling {
class CompilationDatabase;
}

namespace aorm::clangd {

struct TextEdit {
  Range Where;
  std::string NewText;
};

struct Fix {
  std::string Title;
  std::vector<TextEdit> Edits; // All in the analysed file.
};

struct Note {
  std::string Uri;
  Range Where;
  std::string Message;
};

struct Finding {
  std::string Check;
  std::string Message;
  int Severity = 2; // LSP DiagnosticSeverity: 1 error, 2 warning, 3 information.
  Range Where;
  std::vector<Note> Notes;
  std::vector<Fix> Fixes;
};

using TextSnapshot = std::shared_ptr<const std::string>;

struct AnalysisInput {
  std::string Path;                          // Absolute path of the file to analyse.
  TextSnapshot Text;                         // Its unsaved contents.
  std::map<std::string, TextSnapshot> Other; // Other open buffers, by absolute path.
  OffsetEncoding Encoding = OffsetEncoding::UTF16;
};

struct AnalysisResult {
  enum class Outcome { Analysed, Skipped, Failed };
  Outcome Result = Outcome::Failed;
  std::string Detail; // Why it was skipped or failed; compiler errors seen while analysing.
  std::vector<Finding> Findings;
};

class Analyzer {
public:
  // CompileCommandsDir: clangd's --compile-commands-dir, else databases are found next to the
  // file or in its parents. ResourceDir: clang's builtin headers for the parse.
  Analyzer(std::optional<std::string> CompileCommandsDir, std::string ResourceDir);
  ~Analyzer();

  // Cancelled may be set from another thread while the analysis runs; the parse then stops
  // reading headers and the result is reported as Skipped.
  AnalysisResult analyze(const AnalysisInput &Input, const std::atomic<bool> &Cancelled);

  // Any thread: compile_commands.json or compile_flags.txt changed; the next analysis reloads.
  void reloadDatabases() { ReloadDatabases = true; }

private:
  const clang::tooling::CompilationDatabase *databaseFor(const std::string &Path, std::string &Why);

  std::optional<std::string> CompileCommandsDir;
  std::string ResourceDir;
  // Loaded databases, by the directory they were looked up from; the proxy runs one analysis at
  // a time, so no lock.
  std::map<std::string, std::shared_ptr<clang::tooling::CompilationDatabase>> Databases;
  std::atomic<bool> ReloadDatabases{false};
};

// True when the aorm checks were linked into this binary.
bool haveAormChecks();

} // namespace aorm::clangd
