// aorm-clangd: runs the real clangd and adds the aorm checks to what the editor sees.
//
// Three threads: editor -> clangd, clangd -> editor, and the analysis worker. The two relays
// never wait for an analysis, so clangd's traffic keeps its pace and order.

#include "Analyzer.h"
#include "Framing.h"
#include "Log.h"
#include "Options.h"
#include "Process.h"
#include "Proxy.h"
#include "Scheduler.h"

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <thread>
#include <unistd.h>

using namespace aorm::clangd;

namespace {

// Bodies larger than this are streamed to clangd without being looked at, so one huge message
// cannot exhaust memory; no real source file comes near it.
constexpr std::size_t MaxInspectedBody = 32u * 1024 * 1024;

void relayEditorToClangd(MessageReader &FromEditor, int ClangdStdin, Proxy &P) {
  std::size_t Length = 0;
  std::string Problem, Body;
  for (;;) {
    auto Status = FromEditor.readHeader(Length, Problem);
    if (Status == MessageReader::Status::Eof)
      break;
    if (Status == MessageReader::Status::Malformed) {
      log(LogLevel::Error, "dropped a malformed message from the editor: " + Problem);
      continue;
    }
    std::string Header = "Content-Length: " + std::to_string(Length) + "\r\n\r\n";
    if (Length > MaxInspectedBody) {
      log(LogLevel::Info,
          "passing a " + std::to_string(Length) + "-byte message to clangd without inspecting it");
      P.forgetDocuments();
      bool Ok = writeAll(ClangdStdin, Header) &&
                FromEditor.streamBody(
                    Length, [&](std::string_view Chunk) { return writeAll(ClangdStdin, Chunk); });
      if (!Ok)
        break;
      continue;
    }
    if (!FromEditor.readBody(Length, Body))
      break;
    if (!P.fromClient(Body))
      continue;
    if (!writeAll(ClangdStdin, Header) || !writeAll(ClangdStdin, Body))
      break;
  }
  // The editor is gone (or clangd is): closing clangd's input lets it exit on its own terms.
  ::close(ClangdStdin);
}

void relayClangdToEditor(MessageReader &FromClangd, Proxy &P) {
  std::size_t Length = 0;
  std::string Problem, Body;
  for (;;) {
    auto Status = FromClangd.readHeader(Length, Problem);
    if (Status == MessageReader::Status::Eof)
      return;
    if (Status == MessageReader::Status::Malformed) {
      log(LogLevel::Error, "dropped a malformed message from clangd: " + Problem);
      continue;
    }
    if (!FromClangd.readBody(Length, Body))
      return;
    if (!P.fromServer(std::move(Body))) {
      log(LogLevel::Error, "cannot write to the editor; stopping the relay");
      return;
    }
  }
}

} // namespace

int main(int Argc, char **Argv) {
  std::string Error;
  auto Opts = parseOptions(Argc, Argv, Error);
  if (!Opts) {
    std::fprintf(stderr, "aorm-clangd: error: %s\n", Error.c_str());
    return 2;
  }
  if (Opts->Help) {
    std::fputs(helpText(), stdout);
    return 0;
  }
  setLogLevel(Opts->Level);

  auto Program = findClangd(Opts->Clangd, Error);
  if (!Program) {
    log(LogLevel::Error, Error);
    return 1;
  }
  // `--version`, `--help`, `--check=FILE` are not LSP sessions: clangd answers them itself, on
  // this process's stdout (editors run `--version` to learn what they talk to).
  if (isOneShotInvocation(Opts->ClangdArgs)) {
    std::vector<char *> Argv{const_cast<char *>(Program->c_str())};
    for (std::string &A : Opts->ClangdArgs)
      Argv.push_back(A.data());
    Argv.push_back(nullptr);
    ::execv(Program->c_str(), Argv.data());
    log(LogLevel::Error, "cannot run " + *Program);
    return 1;
  }

  // stdout is the LSP stream; anything else that prints there (a library, a stray diagnostic)
  // must land on stderr instead of corrupting it.
  int EditorOut = ::dup(STDOUT_FILENO);
  if (EditorOut < 0 || ::dup2(STDERR_FILENO, STDOUT_FILENO) < 0) {
    std::perror("aorm-clangd: cannot set up stdout");
    return 1;
  }
  std::signal(SIGPIPE, SIG_IGN);

  auto Child = spawn(*Program, Opts->ClangdArgs, Error);
  if (!Child) {
    log(LogLevel::Error, Error);
    return 1;
  }
  log(LogLevel::Verbose, "started " + *Program);
  if (!haveAormChecks())
    log(LogLevel::Info, "built without the aorm checks; passing clangd through only");

  MessageWriter ToEditor(EditorOut);
  Analyzer A(Opts->CompileCommandsDir, AORM_CLANG_RESOURCE_DIR);
  Proxy P(ToEditor, A);
  Scheduler S(A, Opts->Debounce, [&P](const Job &Work, AnalysisResult Result, bool Stale) {
    P.analysisDone(Work, std::move(Result), Stale);
  });
  P.setScheduler(&S);

  MessageReader FromEditor(STDIN_FILENO);
  MessageReader FromClangd(Child->Stdout);
  std::thread EditorToClangd([&] { relayEditorToClangd(FromEditor, Child->Stdin, P); });
  std::thread ClangdToEditor([&] { relayClangdToEditor(FromClangd, P); });

  int Status = waitForExit(Child->Pid);
  // Everything clangd wrote before exiting still reaches the editor.
  ClangdToEditor.join();
  ToEditor.flush();
  log(LogLevel::Verbose, "clangd exited with status " + std::to_string(Status));
  // The editor relay may sit in read() and the worker in an analysis; neither has anything left
  // to deliver, so leave without waiting for them.
  EditorToClangd.detach();
  std::_Exit(Status);
}
