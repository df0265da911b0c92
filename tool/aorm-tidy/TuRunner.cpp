#include "TuRunner.h"

#include "DepFile.h"

#include "clang-tidy/ClangTidy.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/VirtualFileSystem.h"
#include "llvm/Support/raw_ostream.h"

namespace aorm::tidy {

using namespace clang::tidy;

void ConfigErrors::add(std::string Message) {
  std::lock_guard<std::mutex> Lock(Mutex);
  Messages.insert(std::move(Message));
}

std::set<std::string> ConfigErrors::take() {
  std::lock_guard<std::mutex> Lock(Mutex);
  return std::move(Messages);
}

namespace {

// Adds compiler flags of the tool's own. They go in ExtraArgsBefore because clang's tooling strips
// dependency flags from the compile command itself, and "before" keeps them ahead of any "--".
class ExtraArgsProvider : public ClangTidyOptionsProvider {
public:
  ExtraArgsProvider(std::unique_ptr<ClangTidyOptionsProvider> Inner, std::vector<std::string> Args,
                    std::string Why)
      : Inner(std::move(Inner)), Args(std::move(Args)), Why(std::move(Why)) {}
  const ClangTidyGlobalOptions &getGlobalOptions() override { return Inner->getGlobalOptions(); }
  std::vector<OptionsSource> getRawOptions(llvm::StringRef FileName) override {
    std::vector<OptionsSource> Sources = Inner->getRawOptions(FileName);
    ClangTidyOptions Extra;
    Extra.ExtraArgsBefore = Args;
    Sources.emplace_back(std::move(Extra), Why);
    return Sources;
  }

private:
  std::unique_ptr<ClangTidyOptionsProvider> Inner;
  std::vector<std::string> Args;
  std::string Why;
};

// clang-tidy's .clang-tidy discovery, with a parser that records errors instead of only printing
// them. The handler-taking constructor leaves the file system unset, so it is set here.
class CheckedFileOptionsProvider : public FileOptionsProvider {
public:
  using Parser = std::function<llvm::ErrorOr<ClangTidyOptions>(llvm::MemoryBufferRef)>;
  CheckedFileOptionsProvider(const TidySettings &Settings, Parser Parse)
      : FileOptionsProvider(Settings.Global, Settings.Defaults, Settings.Overrides,
                            ConfigFileHandlers{{".clang-tidy", std::move(Parse)}}) {
    FS = llvm::vfs::getRealFileSystem();
  }
};

std::string commandText(const clang::tooling::CompileCommand &C) {
  std::string Text = C.Directory + '\n' + C.Filename;
  for (const std::string &Arg : C.CommandLine)
    Text += '\n' + Arg;
  return Text;
}

std::vector<ClangTidyError> runEngine(const clang::tooling::CompilationDatabase &Db,
                                      const std::string &File,
                                      std::unique_ptr<ClangTidyOptionsProvider> Provider,
                                      bool FixNotes) {
  ClangTidyContext Context(std::move(Provider));
  // A physical file system keeps its own working directory; the process-wide one would be shared
  // by every worker thread.
  llvm::IntrusiveRefCntPtr<llvm::vfs::OverlayFileSystem> FS(
      new llvm::vfs::OverlayFileSystem(llvm::vfs::createPhysicalFileSystem()));
  return runClangTidy(Context, Db, {File}, FS, FixNotes);
}

} // namespace

std::unique_ptr<ClangTidyOptionsProvider> makeOptionsProvider(const TidySettings &Settings) {
  if (Settings.Config)
    return std::make_unique<ConfigOptionsProvider>(Settings.Global, Settings.Defaults,
                                                   *Settings.Config, Settings.Overrides);
  ConfigErrors *Errors = Settings.Errors;
  auto Parse = [Errors](llvm::MemoryBufferRef Buffer) -> llvm::ErrorOr<ClangTidyOptions> {
    std::string Details;
    auto Parsed = parseConfigurationWithDiags(Buffer, [&](const llvm::SMDiagnostic &D) {
      if (D.getKind() == llvm::SourceMgr::DK_Error)
        Details += (llvm::Twine(D.getLineNo()) + ":" + llvm::Twine(D.getColumnNo() + 1) + ": " +
                    D.getMessage())
                       .str();
    });
    if (!Parsed && Errors)
      Errors->add("invalid configuration file '" + Buffer.getBufferIdentifier().str() +
                  "': " + (Details.empty() ? Parsed.getError().message() : Details));
    return Parsed;
  };
  return std::make_unique<CheckedFileOptionsProvider>(Settings, Parse);
}

TuResult analyzeTu(const clang::tooling::CompilationDatabase &Db, const std::string &File,
                   const TidySettings &Settings) {
  TuResult Result;
  Result.File = File;
  std::unique_ptr<ClangTidyOptionsProvider> Provider = makeOptionsProvider(Settings);

  std::string Key;
  if (Settings.Cache) {
    std::vector<std::string> Parts = {File, configurationAsText(Provider->getOptions(File)),
                                      Settings.FixNotes ? "fix-notes" : "no-fix-notes",
                                      Settings.Summaries ? "summaries" : "no-summaries"};
    for (const auto &Command : Db.getCompileCommands(File))
      Parts.push_back(commandText(Command));
    Key = Settings.Cache->key(Parts);
    if (auto Replayed = Settings.Cache->lookupEntry(Key)) {
      Result.Status = TuStatus::Cached;
      Result.Errors = std::move(Replayed->Errors);
      Result.Summary = std::move(Replayed->Summary);
      return Result;
    }
  }

  llvm::SmallString<128> DepFile;
  if (Settings.Cache) {
    if (llvm::sys::fs::createTemporaryFile("aorm-tidy", "d", DepFile))
      DepFile.clear(); // Cannot track dependencies: analyse without caching.
    else
      // -MD -MF: the compiler lists every file the TU reads, for the cache entry.
      Provider = std::make_unique<ExtraArgsProvider>(
          std::move(Provider), std::vector<std::string>{"-MD", "-MF", DepFile.str().str()},
          "aorm-tidy dependency tracking");
  }
  // The placeholders of open call sites count as warnings; clang's "N warnings generated" line
  // would count them too.
  if (Settings.Summaries)
    Provider = std::make_unique<ExtraArgsProvider>(
        std::move(Provider), std::vector<std::string>{"-fno-caret-diagnostics"},
        "aorm-tidy project summaries");

  if (Settings.Summaries)
    Settings.Summaries->begin();
  Result.Errors = runEngine(Db, File, std::move(Provider), Settings.FixNotes);
  if (Settings.Summaries)
    Result.Summary = Settings.Summaries->end();
  for (ClangTidyError &E : Result.Errors)
    makePathsAbsolute(E);
  bool Failed = std::any_of(Result.Errors.begin(), Result.Errors.end(), isCompilerError);
  Result.Status = Failed ? TuStatus::CompileFailed : TuStatus::Analyzed;

  if (!DepFile.empty()) {
    auto Text = llvm::MemoryBuffer::getFile(DepFile);
    // A TU that failed to compile is not cached: the files it failed to find are not listed.
    if (Text && !Failed) {
      std::string Directory;
      auto Commands = Db.getCompileCommands(File);
      if (!Commands.empty())
        Directory = Commands.front().Directory;
      std::vector<std::string> Deps = parseDepFile((*Text)->getBuffer(), Directory);
      if (!Deps.empty())
        if (llvm::Error Err = Settings.Cache->store(Key, Deps, Result.Errors, Result.Summary))
          llvm::errs() << "warning: " << llvm::toString(std::move(Err)) << "\n";
    }
    llvm::sys::fs::remove(DepFile);
  }
  return Result;
}

} // namespace aorm::tidy
