#include "CommandLine.h"

#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

namespace aorm::tidy {
namespace {

namespace cl = llvm::cl;

cl::OptionCategory Category("aorm-tidy options");

const char Overview[] = R"(Runs the aorm clang-tidy checks (and any other enabled clang-tidy check
linked in) over translation units from a compilation database.

  aorm-tidy -p build                      every file in build/compile_commands.json
  aorm-tidy -p build src/a.cpp src/b.cpp  just these files
  aorm-tidy src/a.cpp -- -std=c++20 -Iinclude

Exit status: 0 no errors, 1 findings reported as errors (--warnings-as-errors, or a translation
unit that does not compile), 2 usage, configuration or compilation-database errors.
)";

cl::list<std::string> Files(cl::Positional, cl::desc("[<file> ...]"), cl::cat(Category));
cl::opt<std::string> BuildPath("p", cl::desc("Build directory holding compile_commands.json"),
                               cl::value_desc("build-path"), cl::cat(Category));
cl::opt<std::string> Checks("checks",
                            cl::desc("Comma-separated globs of checks, added to the config "
                                     "(default '-*,aorm-*' then .clang-tidy)"),
                            cl::cat(Category));
cl::opt<std::string> Config("config",
                            cl::desc("Configuration in YAML/JSON; .clang-tidy files "
                                     "are then not read"),
                            cl::cat(Category));
cl::opt<std::string> ConfigFile("config-file",
                                cl::desc("Read the configuration from this file instead of "
                                         ".clang-tidy discovery"),
                                cl::value_desc("path"), cl::cat(Category));
cl::opt<std::string> HeaderFilter("header-filter",
                                  cl::desc("Regex of headers whose findings are shown"),
                                  cl::cat(Category));
cl::opt<std::string> ExcludeHeaderFilter("exclude-header-filter",
                                         cl::desc("Regex of headers whose findings are hidden"),
                                         cl::cat(Category));
cl::opt<bool> SystemHeaders("system-headers", cl::desc("Show findings in system headers"),
                            cl::cat(Category));
cl::opt<std::string> WarningsAsErrors("warnings-as-errors",
                                      cl::desc("Globs of checks whose findings are errors"),
                                      cl::cat(Category));
cl::list<std::string> ExtraArgs("extra-arg", cl::desc("Append this compiler argument"),
                                cl::cat(Category));
cl::list<std::string> ExtraArgsBefore("extra-arg-before",
                                      cl::desc("Prepend this compiler argument"),
                                      cl::cat(Category));
cl::opt<bool> Fix("fix", cl::desc("Apply suggested fixes"), cl::cat(Category));
cl::opt<bool> FixErrors("fix-errors",
                        cl::desc("Apply fixes even if a translation unit has compiler errors"),
                        cl::cat(Category));
cl::opt<bool> FixNotes("fix-notes", cl::desc("Also apply fixes attached to notes"),
                       cl::cat(Category));
cl::opt<std::string> ExportFixes("export-fixes",
                                 cl::desc("Write fixes as clang-apply-replacements YAML"),
                                 cl::value_desc("file"), cl::cat(Category));
cl::opt<Format> OutputFormat("format", cl::desc("Report format"),
                             cl::values(clEnumValN(Format::Text, "text", "clang-tidy's text"),
                                        clEnumValN(Format::Json, "json", "JSON"),
                                        clEnumValN(Format::Sarif, "sarif", "SARIF 2.1.0")),
                             cl::init(Format::Text), cl::cat(Category));
cl::opt<std::string> OutputFile("o", cl::desc("Write the report to this file (default stdout)"),
                                cl::value_desc("file"), cl::cat(Category));
cl::opt<std::string> SarifRoot("sarif-root",
                               cl::desc("SARIF paths are relative to this directory "
                                        "(default: the working directory)"),
                               cl::value_desc("dir"), cl::cat(Category));
cl::opt<unsigned> Jobs("j", cl::desc("Translation units analysed in parallel (default: cores)"),
                       cl::init(0), cl::Prefix, cl::cat(Category));
cl::opt<std::string> ShardText("shard",
                               cl::desc("Analyse only shard K of N (1-based), e.g. --shard=2/4"),
                               cl::value_desc("K/N"), cl::cat(Category));
cl::opt<std::string> CacheDir("cache-dir",
                              cl::desc("Replay findings of unchanged translation units from here"),
                              cl::value_desc("dir"), cl::cat(Category));
cl::opt<bool> NoSummaries(
    "no-summaries",
    cl::desc("Judge each translation unit alone: no calls into other files, no summary file, and "
             "only the named or sharded translation units are parsed"),
    cl::cat(Category));
cl::opt<std::string> SummaryFile(
    "project-summary",
    cl::desc("Write the project summary here (default: aorm-project-summary.json beside "
             "compile_commands.json)"),
    cl::value_desc("file"), cl::cat(Category));
cl::opt<bool> ListChecks("list-checks", cl::desc("List the enabled checks and exit"),
                         cl::cat(Category));
cl::opt<std::string> Explain("explain", cl::desc("Print the documentation of a check and exit"),
                             cl::value_desc("check"), cl::cat(Category));
cl::opt<bool> Quiet("quiet", cl::desc("No summary on stderr"), cl::cat(Category));

template <class T> std::optional<T> ifGiven(const cl::opt<T> &O) {
  if (O.getNumOccurrences())
    return O.getValue();
  return std::nullopt;
}

} // namespace

std::optional<Invocation> parseCommandLine(int Argc, const char **Argv) {
  Invocation Inv;
  // Flags after "--" form a fixed database (clang-tidy's convention); it removes them from argv.
  std::string FixedError;
  Inv.FixedDb =
      clang::tooling::FixedCompilationDatabase::loadFromCommandLine(Argc, Argv, FixedError);
  if (!Inv.FixedDb && !FixedError.empty()) {
    llvm::errs() << "error: arguments after '--': " << FixedError << "\n";
    return std::nullopt;
  }
  cl::HideUnrelatedOptions(Category);
  cl::SetVersionPrinter(
      [](llvm::raw_ostream &OS) { OS << "aorm-tidy " << AORM_TIDY_VERSION << "\n"; });
  if (!cl::ParseCommandLineOptions(Argc, Argv, Overview, &llvm::errs()))
    return std::nullopt;

  Inv.Files.assign(Files.begin(), Files.end());
  Inv.BuildPath = BuildPath;
  Inv.Checks = ifGiven(Checks);
  Inv.HeaderFilter = ifGiven(HeaderFilter);
  Inv.ExcludeHeaderFilter = ifGiven(ExcludeHeaderFilter);
  Inv.WarningsAsErrors = ifGiven(WarningsAsErrors);
  Inv.SystemHeaders = ifGiven(SystemHeaders);
  Inv.Config = ifGiven(Config);
  Inv.ConfigFile = ifGiven(ConfigFile);
  Inv.ExtraArgs.assign(ExtraArgs.begin(), ExtraArgs.end());
  Inv.ExtraArgsBefore.assign(ExtraArgsBefore.begin(), ExtraArgsBefore.end());
  Inv.Fix = Fix || FixErrors;
  Inv.FixErrors = FixErrors;
  Inv.FixNotes = FixNotes;
  Inv.ExportFixes = ExportFixes;
  Inv.OutputFormat = OutputFormat;
  Inv.OutputFile = OutputFile;
  Inv.Jobs = Jobs;
  Inv.CacheDir = CacheDir;
  Inv.Summaries = !NoSummaries;
  Inv.SummaryFile = SummaryFile;
  Inv.ListChecks = ListChecks;
  Inv.Explain = Explain;
  Inv.Quiet = Quiet;

  llvm::SmallString<256> Root(SarifRoot.empty() ? "." : SarifRoot.getValue());
  llvm::sys::fs::make_absolute(Root);
  llvm::sys::path::remove_dots(Root, /*remove_dot_dot=*/true);
  Inv.SarifRoot = Root.str().str();

  if (Inv.Config && Inv.ConfigFile) {
    llvm::errs() << "error: --config and --config-file cannot be used together\n";
    return std::nullopt;
  }
  if (!ShardText.empty()) {
    auto S = parseShard(ShardText);
    if (!S) {
      llvm::errs() << "error: " << llvm::toString(S.takeError()) << "\n";
      return std::nullopt;
    }
    Inv.ShardSpec = *S;
  }
  if (Inv.FixedDb && !Inv.BuildPath.empty()) {
    llvm::errs() << "error: -p and compiler flags after '--' cannot be used together\n";
    return std::nullopt;
  }
  return Inv;
}

} // namespace aorm::tidy
