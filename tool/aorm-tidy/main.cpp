// aorm-tidy: lint a project's translation units with the aorm checks, for CI and the command line.
#include "CheckDocs.h"
#include "CommandLine.h"
#include "CompileDb.h"
#include "CrossFile.h"
#include "Output.h"
#include "Parallel.h"
#include "ResultCache.h"
#include "TuRunner.h"

#include "clang-tidy/ClangTidy.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/raw_ostream.h"

#include <set>
#include <thread>
#include <unistd.h>

#ifdef AORM_TIDY_WITH_CHECKS
#include "AormTidyModule.h"
// Keeps the module's registration in the binary even if the checks are ever linked as an archive.
[[maybe_unused]] static int AormChecksAnchor = aormTidyModuleAnchor();
#endif

using namespace aorm::tidy;

namespace {

enum ExitCode { Clean = 0, ErrorsFound = 1, UsageError = 2 };

// The tool's defaults; .clang-tidy files and the command line refine them.
clang::tidy::ClangTidyOptions toolDefaults() {
  clang::tidy::ClangTidyOptions Defaults = clang::tidy::ClangTidyOptions::getDefaults();
  Defaults.Checks = "-*,aorm-*";
  return Defaults;
}

clang::tidy::ClangTidyOptions overridesFrom(const Invocation &Inv) {
  clang::tidy::ClangTidyOptions O;
  O.Checks = Inv.Checks;
  O.HeaderFilterRegex = Inv.HeaderFilter;
  O.ExcludeHeaderFilterRegex = Inv.ExcludeHeaderFilter;
  O.SystemHeaders = Inv.SystemHeaders;
  O.WarningsAsErrors = Inv.WarningsAsErrors;
  if (!Inv.ExtraArgs.empty())
    O.ExtraArgs = Inv.ExtraArgs;
  if (!Inv.ExtraArgsBefore.empty())
    O.ExtraArgsBefore = Inv.ExtraArgsBefore;
  return O;
}

// --config / --config-file, parsed once; a parse error names the source.
bool loadConfig(const Invocation &Inv, TidySettings &Settings) {
  std::string Text, Source;
  if (Inv.Config) {
    Text = *Inv.Config;
    Source = "--config";
  } else if (Inv.ConfigFile) {
    auto Buffer = llvm::MemoryBuffer::getFile(*Inv.ConfigFile);
    if (!Buffer) {
      llvm::errs() << "error: --config-file '" << *Inv.ConfigFile
                   << "': " << Buffer.getError().message() << "\n";
      return false;
    }
    Text = (*Buffer)->getBuffer().str();
    Source = "--config-file '" + *Inv.ConfigFile + "'";
  } else {
    return true;
  }
  auto Parsed = clang::tidy::parseConfiguration(llvm::MemoryBufferRef(Text, Source));
  if (!Parsed) {
    llvm::errs() << "error: invalid configuration in " << Source << ": "
                 << Parsed.getError().message() << "\n";
    return false;
  }
  Settings.Config = std::move(*Parsed);
  return true;
}

std::vector<std::string> enabledChecks(const TidySettings &Settings, const std::string &File) {
  auto Provider = makeOptionsProvider(Settings);
  return clang::tidy::getCheckNames(Provider->getOptions(File),
                                    /*AllowEnablingAnalyzerAlphaCheckers=*/false);
}

int explain(const std::string &Check) {
  if (auto Doc = checkDoc(Check)) {
    llvm::outs() << *Doc;
    return Clean;
  }
  llvm::errs() << "error: --explain: no documentation for check '" << Check << "'";
  std::vector<std::string> Known = documentedChecks();
  if (!Known.empty()) {
    llvm::errs() << "; documented checks:";
    for (const std::string &K : Known)
      llvm::errs() << " " << K;
  }
  llvm::errs() << "\n";
  return UsageError;
}

// Write then rename, so an editor reading the file never sees half of it.
llvm::Error writeFileAtomically(const std::string &Path, const std::string &Text) {
  llvm::SmallString<256> Temp;
  int FD = -1;
  if (std::error_code EC = llvm::sys::fs::createUniqueFile(Path + ".%%%%%%.tmp", FD, Temp))
    return llvm::createStringError(EC, "'%s': %s", Path.c_str(), EC.message().c_str());
  {
    llvm::raw_fd_ostream OS(FD, /*shouldClose=*/true);
    OS << Text;
  }
  if (std::error_code EC = llvm::sys::fs::rename(Temp, Path)) {
    llvm::sys::fs::remove(Temp);
    return llvm::createStringError(EC, "'%s': %s", Path.c_str(), EC.message().c_str());
  }
  return llvm::Error::success();
}

std::string currentDirectory() {
  llvm::SmallString<256> Cwd;
  llvm::sys::fs::current_path(Cwd);
  return Cwd.str().str();
}

} // namespace

int main(int Argc, const char **Argv) {
  llvm::InitLLVM Init(Argc, Argv);
  std::optional<Invocation> Parsed = parseCommandLine(Argc, Argv);
  if (!Parsed)
    return UsageError;
  Invocation &Inv = *Parsed;

  if (!Inv.Explain.empty())
    return explain(Inv.Explain);

  ConfigErrors BadConfigs;
  TidySettings Settings;
  Settings.Defaults = toolDefaults();
  Settings.Overrides = overridesFrom(Inv);
  Settings.FixNotes = Inv.FixNotes;
  Settings.Errors = &BadConfigs;
  if (!loadConfig(Inv, Settings))
    return UsageError;

  std::string Cwd = currentDirectory();
  if (Inv.ListChecks) {
    std::string Probe = Inv.Files.empty() ? Cwd + "/aorm-tidy-probe.cpp" : Inv.Files.front();
    std::vector<std::string> Checks = enabledChecks(Settings, Probe);
    std::set<std::string> Problems = BadConfigs.take();
    for (const std::string &Message : Problems)
      llvm::errs() << "error: " << Message << "\n";
    llvm::outs() << "Enabled checks:";
    for (const std::string &C : Checks)
      llvm::outs() << "\n    " << C;
    llvm::outs() << "\n\n";
    return Checks.empty() || !Problems.empty() ? UsageError : Clean;
  }

  // The compilation database.
  LoadedDb Loaded;
  if (Inv.FixedDb) {
    Loaded = {std::move(Inv.FixedDb), "the flags after '--'"};
    if (Inv.Files.empty()) {
      llvm::errs() << "error: compiler flags after '--' need file arguments\n";
      return UsageError;
    }
  } else {
    auto Db = loadCompilationDatabase(Inv.BuildPath, Inv.Files);
    if (!Db) {
      llvm::errs() << "error: " << llvm::toString(Db.takeError()) << "\n";
      return UsageError;
    }
    Loaded = std::move(*Db);
  }

  Selection Sel = selectFiles(*Loaded.Db, Inv.Files, Inv.ShardSpec);
  if (Sel.Files.empty() && Sel.Unrunnable.empty() && Inv.ShardSpec.Count == 1) {
    llvm::errs() << "error: " << Loaded.Description << " lists no files\n";
    return UsageError;
  }

  if (!Sel.Files.empty()) {
    std::vector<std::string> Checks = enabledChecks(Settings, Sel.Files.front());
    if (Checks.empty()) {
      for (const std::string &Message : BadConfigs.take())
        llvm::errs() << "error: " << Message << "\n";
      llvm::errs() << "error: no checks enabled (checks: '"
                   << Settings.Overrides.Checks.value_or("-*,aorm-*") << "')\n";
      return UsageError;
    }
  }

  // Outputs are opened before the work so a bad path fails fast.
  int OutputFD = -1;
  if (!Inv.OutputFile.empty()) {
    if (std::error_code EC = llvm::sys::fs::openFileForWrite(Inv.OutputFile, OutputFD)) {
      llvm::errs() << "error: -o '" << Inv.OutputFile << "': " << EC.message() << "\n";
      return UsageError;
    }
  }

  std::unique_ptr<ResultCache> Cache;
  if (!Inv.CacheDir.empty()) {
    auto Opened = ResultCache::open(Inv.CacheDir, toolIdentity(Argv[0]));
    if (!Opened) {
      llvm::errs() << "error: " << llvm::toString(Opened.takeError()) << "\n";
      return UsageError;
    }
    Cache = std::move(*Opened);
    Settings.Cache = Cache.get();
  }

  // Calls into other files need every TU's summary: the whole database is summarised (from the
  // cache when unchanged), and the selected TUs are linted.
  std::vector<std::string> Tus = Sel.Files;
  std::unique_ptr<SummaryHooks> Hooks;
#ifdef AORM_TIDY_WITH_CHECKS
  if (Inv.Summaries) {
    Hooks = checkSummaryHooks();
    Settings.Summaries = Hooks.get();
    Tus = selectFiles(*Loaded.Db, {}, Shard{}).Files;
    Tus.insert(Tus.end(), Sel.Files.begin(), Sel.Files.end());
    llvm::sort(Tus);
    Tus.erase(std::unique(Tus.begin(), Tus.end()), Tus.end());
  }
#endif
  std::vector<bool> Selected(Tus.size());
  for (size_t I = 0; I < Tus.size(); ++I)
    Selected[I] = std::binary_search(Sel.Files.begin(), Sel.Files.end(), Tus[I]);

  unsigned Jobs = Inv.Jobs ? Inv.Jobs : std::max(1u, std::thread::hardware_concurrency());
  ProgressLine Progress{llvm::sys::Process::StandardErrIsDisplayed(), Cwd, &llvm::errs()};
  std::vector<TuResult> Results = runParallel(
      Tus, Jobs,
      [&](const std::string &File) { return analyzeTu(*Loaded.Db, File, Settings); }, Progress);
#ifdef AORM_TIDY_WITH_CHECKS
  if (Hooks) {
    CrossFileResult Cross = resolveCrossFile(Results, Selected);
    for (const std::string &Problem : Cross.Problems)
      llvm::errs() << "warning: " << Problem << "\n";
    std::string SummaryPath = Inv.SummaryFile;
    if (SummaryPath.empty() && !Loaded.JsonPath.empty())
      SummaryPath = (llvm::sys::path::parent_path(Loaded.JsonPath) + "/" +
                     "aorm-project-summary.json").str();
    if (!SummaryPath.empty())
      if (llvm::Error Err = writeFileAtomically(SummaryPath, Cross.ProjectJson))
        llvm::errs() << "warning: project summary not written: " << llvm::toString(std::move(Err))
                     << "\n";
  }
#endif
  unsigned SummarisedOnly = 0;
  {
    std::vector<TuResult> Kept;
    for (size_t I = 0; I < Results.size(); ++I) {
      if (Selected[I])
        Kept.push_back(std::move(Results[I]));
      else
        ++SummarisedOnly;
    }
    Results = std::move(Kept);
  }

  std::vector<ClangTidyError> Errors = mergeFindings(Results);
  Results.insert(Results.end(), Sel.Unrunnable.begin(), Sel.Unrunnable.end());

  int Exit = Clean;
  std::set<std::string> ConfigProblems = BadConfigs.take();
  for (const std::string &Message : ConfigProblems)
    llvm::errs() << "error: " << Message << "\n";
  if (!ConfigProblems.empty())
    Exit = UsageError;

  bool CompileFailed = false;
  for (const TuResult &R : Results) {
    switch (R.Status) {
    case TuStatus::Missing:
      llvm::errs() << "error: no such file '" << R.File << "'\n";
      Exit = UsageError;
      break;
    case TuStatus::NotInDatabase:
      llvm::errs() << "error: '" << R.File << "' is not in " << Loaded.Description
                   << "; build it with the project or pass its flags after '--'\n";
      Exit = UsageError;
      break;
    case TuStatus::CompileFailed:
      llvm::errs() << "error: '" << R.File
                   << "' does not compile; its findings may be incomplete (see the "
                      "clang-diagnostic-error findings)\n";
      CompileFailed = true;
      break;
    case TuStatus::Analyzed:
    case TuStatus::Cached:
      break;
    }
  }

  bool ApplyFixes = Inv.Fix;
  if (ApplyFixes && CompileFailed && !Inv.FixErrors) {
    llvm::errs() << "error: not applying fixes because a translation unit does not compile; "
                    "use --fix-errors to apply them anyway\n";
    ApplyFixes = false;
  }

  if (!Inv.ExportFixes.empty()) {
    std::string Main = Sel.Files.empty() ? std::string() : Sel.Files.front();
    if (!exportFixes(Inv.ExportFixes, Main, Errors))
      Exit = UsageError;
  }

  std::vector<std::string> Checks =
      enabledChecks(Settings, Sel.Files.empty() ? Cwd + "/aorm-tidy-probe.cpp" : Sel.Files.front());
  if (!writeReport({Inv, Errors, Results, Checks, makeOptionsProvider(Settings), ApplyFixes},
                   OutputFD))
    Exit = UsageError;
  if (OutputFD >= 0)
    ::close(OutputFD);

  unsigned AsErrors = 0, Cached = 0;
  for (const ClangTidyError &E : Errors)
    if (E.IsWarningAsError || (E.DiagLevel == ClangTidyError::Error && !isCompilerError(E)))
      ++AsErrors;
  for (const TuResult &R : Results)
    Cached += R.Status == TuStatus::Cached;
  if (!Inv.Quiet)
    llvm::errs() << "aorm-tidy: " << Sel.Files.size() << " translation unit(s), " << Cached
                 << " from cache, " << Errors.size() << " finding(s)"
                 << (AsErrors ? ", " + std::to_string(AsErrors) + " as errors" : std::string())
                 << (SummarisedOnly ? ", " + std::to_string(SummarisedOnly) +
                                          " more summarised for calls into other files"
                                    : std::string())
                 << "\n";
  if (Exit == Clean && (AsErrors || CompileFailed))
    Exit = ErrorsFound;
  return Exit;
}
