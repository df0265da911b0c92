#include "Output.h"

#include "FindingsJson.h"
#include "Sarif.h"

#include "clang-tidy/ClangTidy.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/VirtualFileSystem.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdio>
#include <fcntl.h>
#include <unistd.h>

namespace aorm::tidy {

StdoutRedirect::StdoutRedirect(int FD) {
  llvm::outs().flush();
  std::fflush(stdout);
  Saved = ::dup(1);
  ::dup2(FD, 1);
}

StdoutRedirect::~StdoutRedirect() {
  llvm::outs().flush();
  std::fflush(stdout);
  ::dup2(Saved, 1);
  ::close(Saved);
}

namespace {

// clang-tidy's printer and fixer: same text, same "applied N of M suggested fixes".
void printAndFix(ReportInput &In, clang::tidy::FixBehaviour Fix) {
  clang::tidy::ClangTidyContext Context(std::move(In.Provider));
  unsigned WarningsAsErrors = 0;
  clang::tidy::handleErrors(In.Errors, Context, Fix, WarningsAsErrors,
                            llvm::vfs::createPhysicalFileSystem());
}

clang::tidy::FixBehaviour fixBehaviour(const ReportInput &In) {
  if (!In.ApplyFixes)
    return clang::tidy::FB_NoFix;
  return In.Inv.FixNotes ? clang::tidy::FB_FixNotes : clang::tidy::FB_Fix;
}

} // namespace

bool writeReport(ReportInput In, int OutputFD) {
  if (In.Inv.OutputFormat == Format::Text) {
    if (OutputFD >= 0) {
      StdoutRedirect Redirect(OutputFD);
      printAndFix(In, fixBehaviour(In));
    } else {
      printAndFix(In, fixBehaviour(In));
    }
    return true;
  }

  // Positions are read before fixes change the files.
  SourcePositions Positions;
  nlohmann::json Report = In.Inv.OutputFormat == Format::Json
                              ? jsonReport(In.Errors, In.Results, Positions)
                              : sarifLog(In.Errors, In.EnabledChecks, In.Inv.SarifRoot, Positions);
  if (In.ApplyFixes) {
    int Null = ::open("/dev/null", O_WRONLY);
    {
      StdoutRedirect Quiet(Null);
      printAndFix(In, fixBehaviour(In));
    }
    ::close(Null);
  }
  std::string Text = Report.dump(2) + "\n";
  if (OutputFD >= 0) {
    llvm::raw_fd_ostream OS(OutputFD, /*shouldClose=*/false);
    OS << Text;
    OS.flush();
    if (OS.has_error()) {
      llvm::errs() << "error: -o '" << In.Inv.OutputFile << "': " << OS.error().message() << "\n";
      OS.clear_error();
      return false;
    }
  } else {
    llvm::outs() << Text;
    llvm::outs().flush();
  }
  return true;
}

bool exportFixes(const std::string &Path, const std::string &MainFile,
                 const std::vector<ClangTidyError> &Errors) {
  std::error_code EC;
  llvm::raw_fd_ostream OS(Path, EC, llvm::sys::fs::OF_None);
  if (EC) {
    llvm::errs() << "error: --export-fixes '" << Path << "': " << EC.message() << "\n";
    return false;
  }
  clang::tidy::exportReplacements(MainFile, Errors, OS);
  return true;
}

} // namespace aorm::tidy
