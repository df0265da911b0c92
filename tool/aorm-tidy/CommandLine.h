// aorm-tidy's command line: clang-tidy's flags where clang-tidy has one, plus the CI extras.
#pragma once

#include "CompileDb.h"

#include "clang/Tooling/CompilationDatabase.h"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace aorm::tidy {

enum class Format { Text, Json, Sarif };

struct Invocation {
  std::vector<std::string> Files;
  std::string BuildPath;
  // Compile flags given after "--" (then no compile_commands.json is needed).
  std::unique_ptr<clang::tooling::CompilationDatabase> FixedDb;

  std::optional<std::string> Checks, HeaderFilter, ExcludeHeaderFilter, WarningsAsErrors;
  std::optional<bool> SystemHeaders;
  std::optional<std::string> Config, ConfigFile;
  std::vector<std::string> ExtraArgs, ExtraArgsBefore;

  bool Fix = false, FixErrors = false, FixNotes = false;
  std::string ExportFixes;
  Format OutputFormat = Format::Text;
  std::string OutputFile;
  std::string SarifRoot;
  unsigned Jobs = 0; // 0: one per core.
  Shard ShardSpec;
  std::string CacheDir;
  bool Summaries = true;   // summarise every TU of the database for calls into other files
  std::string SummaryFile; // where the project summary goes; "" for the default
  bool ListChecks = false;
  std::string Explain;
  bool Quiet = false;
};

// Parses argv. On a usage error prints a message naming the option and returns nullopt.
std::optional<Invocation> parseCommandLine(int Argc, const char **Argv);

} // namespace aorm::tidy
