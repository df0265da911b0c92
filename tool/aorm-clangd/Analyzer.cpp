#include "Analyzer.h"

#include "Log.h"
#include "Uri.h"

#include "clang-tidy/ClangTidy.h"
#include "clang-tidy/ClangTidyDiagnosticConsumer.h"
#include "clang-tidy/ClangTidyOptions.h"
#include "clang/Basic/LangOptions.h"
#include "clang/Lex/Lexer.h"
#include "clang/Tooling/CompilationDatabase.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/CrashRecoveryContext.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/VirtualFileSystem.h"

#if AORM_CLANGD_HAVE_CHECKS
#include "AormTidyModule.h"
#endif

namespace aorm::clangd {

namespace tooling = clang::tooling;
namespace tidy = clang::tidy;

bool haveAormChecks() {
#if AORM_CLANGD_HAVE_CHECKS
  // Referencing the anchor keeps the module's registration in the binary.
  static const int Anchor = clang::tidy::aorm::aormTidyModuleAnchor();
  (void)Anchor;
  return true;
#else
  return false;
#endif
}

namespace {

// The one command runClangTidy sees: the file's real command with the builtin headers of the
// clang we link against, since this binary does not live next to them.
class SingleCommandDatabase : public tooling::CompilationDatabase {
public:
  explicit SingleCommandDatabase(tooling::CompileCommand Command) : Command(std::move(Command)) {}
  std::vector<tooling::CompileCommand> getCompileCommands(llvm::StringRef) const override {
    return {Command};
  }

private:
  tooling::CompileCommand Command;
};

std::string normalise(llvm::StringRef Base, llvm::StringRef Path) {
  llvm::SmallString<256> Out(Path);
  if (!llvm::sys::path::is_absolute(Out) && !Base.empty())
    llvm::sys::fs::make_absolute(Base, Out);
  llvm::sys::path::remove_dots(Out, /*remove_dot_dot=*/true);
  return std::string(Out);
}

// Length of the token at Offset, so a diagnostic without a source range still underlines the
// name it points at rather than one character.
unsigned tokenLength(llvm::StringRef Text, unsigned Offset) {
  if (Offset >= Text.size())
    return 0;
  clang::LangOptions Lang;
  Lang.CPlusPlus = Lang.CPlusPlus11 = Lang.CPlusPlus14 = Lang.CPlusPlus17 = Lang.CPlusPlus20 = true;
  clang::Lexer Lex(clang::SourceLocation(), Lang, Text.begin(), Text.begin() + Offset, Text.end());
  clang::Token Tok;
  Lex.LexFromRawLexer(Tok);
  return Tok.is(clang::tok::eof) ? 0 : Tok.getLength();
}

// The disk as the parse sees it, until the run is cancelled: from then on every header lookup
// fails, so a run overtaken by a newer edit stops after the file it is in instead of parsing
// the rest of its includes. runClangTidy has no cancellation of its own.
class CancellableFileSystem : public llvm::vfs::ProxyFileSystem {
public:
  CancellableFileSystem(llvm::IntrusiveRefCntPtr<llvm::vfs::FileSystem> FS,
                        const std::atomic<bool> &Cancelled)
      : ProxyFileSystem(std::move(FS)), Cancelled(Cancelled) {}

  llvm::ErrorOr<llvm::vfs::Status> status(const llvm::Twine &Path) override {
    if (Cancelled)
      return std::make_error_code(std::errc::operation_canceled);
    return ProxyFileSystem::status(Path);
  }
  llvm::ErrorOr<std::unique_ptr<llvm::vfs::File>>
  openFileForRead(const llvm::Twine &Path) override {
    if (Cancelled)
      return std::make_error_code(std::errc::operation_canceled);
    return ProxyFileSystem::openFileForRead(Path);
  }

private:
  const std::atomic<bool> &Cancelled;
};

// Texts of files named by findings: the buffers being edited first, then the disk.
class TextSource {
public:
  explicit TextSource(const AnalysisInput &Input) : Input(Input) {}

  const std::string *get(const std::string &Path) {
    if (Path == Input.Path)
      return Input.Text.get();
    if (auto It = Input.Other.find(Path); It != Input.Other.end())
      return It->second.get();
    auto [It, Inserted] = Disk.try_emplace(Path);
    if (Inserted) {
      if (auto Buf = llvm::MemoryBuffer::getFile(Path, /*IsText=*/true))
        It->second = (*Buf)->getBuffer().str();
      else
        It->second.reset();
    }
    return It->second ? &*It->second : nullptr;
  }

private:
  const AnalysisInput &Input;
  std::map<std::string, std::optional<std::string>> Disk;
};

struct Converter {
  const AnalysisInput &Input;
  TextSource &Texts;
  std::string BuildDir;

  std::optional<Range> rangeOf(const tooling::DiagnosticMessage &Msg, std::string &Path) {
    Path = normalise(BuildDir, Msg.FilePath);
    const std::string *Text = Texts.get(Path);
    if (!Text)
      return std::nullopt;
    unsigned Begin = Msg.FileOffset;
    unsigned End = Begin + tokenLength(*Text, Begin);
    for (const tooling::FileByteRange &R : Msg.Ranges) {
      if (normalise(BuildDir, R.FilePath) == Path && R.FileOffset <= Begin &&
          Begin <= R.FileOffset + R.Length) {
        Begin = R.FileOffset;
        End = R.FileOffset + R.Length;
        break;
      }
    }
    return Range{toPosition(*Text, Begin, Input.Encoding), toPosition(*Text, End, Input.Encoding)};
  }

  // Edits of one fix, or nothing when it touches a file other than the analysed one: a partial
  // quick fix would leave the code broken.
  std::optional<Fix> fixOf(const llvm::StringMap<tooling::Replacements> &Replacements,
                           std::string Title) {
    Fix Out;
    Out.Title = std::move(Title);
    const std::string &Text = *Input.Text;
    for (const auto &Entry : Replacements) {
      for (const tooling::Replacement &R : Entry.getValue()) {
        if (normalise(BuildDir, R.getFilePath()) != Input.Path)
          return std::nullopt;
        Range Where{toPosition(Text, R.getOffset(), Input.Encoding),
                    toPosition(Text, R.getOffset() + R.getLength(), Input.Encoding)};
        Out.Edits.push_back({Where, R.getReplacementText().str()});
      }
    }
    if (Out.Edits.empty())
      return std::nullopt;
    return Out;
  }

  std::string titleFor(const llvm::StringMap<tooling::Replacements> &Replacements,
                       const std::string &Message) {
    const std::string &Text = *Input.Text;
    std::size_t Count = 0;
    const tooling::Replacement *Only = nullptr;
    for (const auto &Entry : Replacements)
      for (const tooling::Replacement &R : Entry.getValue()) {
        ++Count;
        Only = &R;
      }
    constexpr std::size_t Short = 60;
    if (Count == 1 && Only->getOffset() + Only->getLength() <= Text.size()) {
      std::string Old = Text.substr(Only->getOffset(), Only->getLength());
      std::string New = Only->getReplacementText().str();
      if (Old.size() <= Short && New.size() <= Short && Old.find('\n') == std::string::npos &&
          New.find('\n') == std::string::npos) {
        if (Old.empty())
          return "insert '" + New + "'";
        if (New.empty())
          return "remove '" + Old + "'";
        return "change '" + Old + "' to '" + New + "'";
      }
    }
    return "fix: " + Message;
  }

  std::optional<Finding> convert(const tidy::ClangTidyError &Error) {
    Finding F;
    F.Check = Error.DiagnosticName;
    F.Message = Error.Message.Message;
    F.Severity = Error.DiagLevel == tooling::Diagnostic::Error     ? 1
                 : Error.DiagLevel == tooling::Diagnostic::Warning ? 2
                                                                   : 3;
    std::string Path;
    auto Where = rangeOf(Error.Message, Path);
    if (!Where || Path != Input.Path)
      return std::nullopt; // Header findings belong to the header's own analysis.
    F.Where = *Where;
    if (auto Main = fixOf(Error.Message.Fix, titleFor(Error.Message.Fix, F.Message)))
      F.Fixes.push_back(std::move(*Main));
    for (const tooling::DiagnosticMessage &N : Error.Notes) {
      std::string NotePath;
      if (auto NoteRange = rangeOf(N, NotePath))
        F.Notes.push_back({pathToUri(NotePath), *NoteRange, N.Message});
      // A fix on a note is an alternative to the main one; the note says what it does.
      if (auto Alt = fixOf(N.Fix, N.Message))
        F.Fixes.push_back(std::move(*Alt));
    }
    return F;
  }
};

} // namespace

Analyzer::Analyzer(std::optional<std::string> CompileCommandsDir, std::string ResourceDir)
    : CompileCommandsDir(std::move(CompileCommandsDir)), ResourceDir(std::move(ResourceDir)) {
  llvm::CrashRecoveryContext::Enable();
}

Analyzer::~Analyzer() = default;

const tooling::CompilationDatabase *Analyzer::databaseFor(const std::string &Path,
                                                          std::string &Why) {
  std::string Key =
      CompileCommandsDir ? *CompileCommandsDir : std::string(llvm::sys::path::parent_path(Path));
  if (auto It = Databases.find(Key); It != Databases.end())
    return It->second.get();
  std::string Error;
  std::unique_ptr<tooling::CompilationDatabase> Db =
      CompileCommandsDir
          ? tooling::CompilationDatabase::loadFromDirectory(*CompileCommandsDir, Error)
          : tooling::CompilationDatabase::autoDetectFromSource(Path, Error);
  if (!Db) {
    // Not cached: a compile_commands.json may appear later (first build, cmake re-run).
    Why = Error.empty() ? "no compilation database found" : Error;
    return nullptr;
  }
  // Like clangd: files missing from compile_commands.json borrow a neighbour's command.
  Db = tooling::inferMissingCompileCommands(std::move(Db));
  auto [It, Inserted] = Databases.emplace(Key, std::move(Db));
  return It->second.get();
}

AnalysisResult Analyzer::analyze(const AnalysisInput &Input, const std::atomic<bool> &Cancelled) {
  AnalysisResult Result;
  if (!haveAormChecks()) {
    Result.Result = AnalysisResult::Outcome::Skipped;
    Result.Detail = "aorm-clangd was built without the aorm checks";
    return Result;
  }
  if (ReloadDatabases.exchange(false))
    Databases.clear();
  std::string Why;
  const tooling::CompilationDatabase *Db = databaseFor(Input.Path, Why);
  if (!Db) {
    Result.Result = AnalysisResult::Outcome::Skipped;
    Result.Detail = "no compile command for " + Input.Path + ": " + Why;
    return Result;
  }
  std::vector<tooling::CompileCommand> Commands = Db->getCompileCommands(Input.Path);
  if (Commands.empty()) {
    Result.Result = AnalysisResult::Outcome::Skipped;
    Result.Detail = "no compile command for " + Input.Path + " in its compilation database";
    return Result;
  }
  tooling::CompileCommand Command = std::move(Commands.front());
  bool HasResourceDir = false;
  for (const std::string &Arg : Command.CommandLine)
    HasResourceDir |= llvm::StringRef(Arg).starts_with("-resource-dir");
  if (!HasResourceDir && !ResourceDir.empty() && !Command.CommandLine.empty())
    Command.CommandLine.insert(Command.CommandLine.begin() + 1, "-resource-dir=" + ResourceDir);
  std::string BuildDir = Command.Directory;
  SingleCommandDatabase OneCommand(std::move(Command));

  // Unsaved buffers shadow the disk; everything else is read as usual.
  auto Memory = llvm::makeIntrusiveRefCnt<llvm::vfs::InMemoryFileSystem>();
  // The snapshots outlive the run and std::string keeps a terminating NUL, so clang can read
  // them in place.
  Memory->addFile(Input.Path, 0, llvm::MemoryBuffer::getMemBuffer(*Input.Text, Input.Path));
  for (const auto &[Path, Text] : Input.Other)
    if (Path != Input.Path)
      Memory->addFile(Path, 0, llvm::MemoryBuffer::getMemBuffer(*Text, Path));
  auto Overlay =
      llvm::makeIntrusiveRefCnt<llvm::vfs::OverlayFileSystem>(llvm::vfs::getRealFileSystem());
  Overlay->pushOverlay(Memory);

  // Only the aorm checks run here (clangd runs its own clang-tidy); a .clang-tidy file can still
  // turn aorm checks off and set their options.
  tidy::ClangTidyOptions Defaults = tidy::ClangTidyOptions::getDefaults();
  Defaults.Checks = "-*,aorm-*";
  auto Provider = std::make_unique<tidy::FileOptionsProvider>(
      tidy::ClangTidyGlobalOptions(), std::move(Defaults), tidy::ClangTidyOptions());
  tidy::ClangTidyContext Context(std::move(Provider));

  std::vector<tidy::ClangTidyError> Errors;
  llvm::CrashRecoveryContext Recovery;
  bool Completed = Recovery.RunSafely([&] {
    Errors = tidy::runClangTidy(Context, OneCommand, {Input.Path}, Overlay,
                                /*ApplyAnyFix=*/false);
  });
  if (Cancelled) {
    Result.Result = AnalysisResult::Outcome::Skipped;
    Result.Detail = "analysis of " + Input.Path + " cancelled by a newer edit";
    return Result;
  }
  if (!Completed) {
    Result.Result = AnalysisResult::Outcome::Failed;
    Result.Detail = "the aorm checks crashed on " + Input.Path;
    return Result;
  }

  TextSource Texts(Input);
  Converter Convert{Input, Texts, BuildDir};
  unsigned CompilerErrors = 0;
  for (const tidy::ClangTidyError &Error : Errors) {
    llvm::StringRef Name = Error.DiagnosticName;
    if (!Name.starts_with("aorm-")) {
      // Compiler diagnostics are clangd's to show; count errors since they hide findings.
      if (Error.DiagLevel == tooling::Diagnostic::Error) {
        ++CompilerErrors;
        if (logEnabled(LogLevel::Verbose))
          log(LogLevel::Verbose,
              "compiler error while analysing " + Input.Path + ": " + Error.Message.Message);
      }
      continue;
    }
    if (auto F = Convert.convert(Error))
      Result.Findings.push_back(std::move(*F));
  }
  Result.Result = AnalysisResult::Outcome::Analysed;
  if (CompilerErrors)
    Result.Detail = std::to_string(CompilerErrors) + " compiler error(s); findings may be missing";
  return Result;
}

} // namespace aorm::clangd
