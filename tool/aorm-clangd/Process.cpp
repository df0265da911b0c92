#include "Process.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Program.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

namespace aorm::clangd {

std::optional<std::string> findClangd(const std::optional<std::string> &Explicit,
                                      std::string &Error) {
  if (Explicit) {
    if (Explicit->find('/') == std::string::npos) {
      if (auto Found = llvm::sys::findProgramByName(*Explicit))
        return *Found;
      Error = "--clangd: '" + *Explicit + "' is not on PATH";
      return std::nullopt;
    }
    if (!llvm::sys::fs::can_execute(*Explicit)) {
      Error = "--clangd: '" + *Explicit + "' is not an executable file";
      return std::nullopt;
    }
    return *Explicit;
  }
  for (const char *Name : {"clangd-19", "clangd"})
    if (auto Found = llvm::sys::findProgramByName(Name))
      return *Found;
  Error = "neither clangd-19 nor clangd is on PATH; pass --clangd=PATH";
  return std::nullopt;
}

std::optional<ChildProcess> spawn(const std::string &Program, const std::vector<std::string> &Args,
                                  std::string &Error) {
  int In[2], Out[2];
  // Close-on-exec keeps the proxy's ends out of the child; dup2 clears it on the child's ends.
  if (pipe2(In, O_CLOEXEC) != 0 || pipe2(Out, O_CLOEXEC) != 0) {
    Error = std::string("cannot create pipes for clangd: ") + std::strerror(errno);
    return std::nullopt;
  }
  posix_spawn_file_actions_t Actions;
  posix_spawn_file_actions_init(&Actions);
  posix_spawn_file_actions_adddup2(&Actions, In[0], STDIN_FILENO);
  posix_spawn_file_actions_adddup2(&Actions, Out[1], STDOUT_FILENO);

  std::vector<char *> Argv;
  Argv.push_back(const_cast<char *>(Program.c_str()));
  for (const std::string &A : Args)
    Argv.push_back(const_cast<char *>(A.c_str()));
  Argv.push_back(nullptr);

  pid_t Pid = -1;
  int Rc = posix_spawn(&Pid, Program.c_str(), &Actions, nullptr, Argv.data(), environ);
  posix_spawn_file_actions_destroy(&Actions);
  ::close(In[0]);
  ::close(Out[1]);
  if (Rc != 0) {
    ::close(In[1]);
    ::close(Out[0]);
    Error = "cannot start " + Program + ": " + std::strerror(Rc);
    return std::nullopt;
  }
  return ChildProcess{Pid, In[1], Out[0]};
}

int waitForExit(pid_t Pid) {
  int Status = 0;
  while (waitpid(Pid, &Status, 0) < 0) {
    if (errno != EINTR)
      return 1;
  }
  if (WIFEXITED(Status))
    return WEXITSTATUS(Status);
  if (WIFSIGNALED(Status))
    return 128 + WTERMSIG(Status);
  return 1;
}

} // namespace aorm::clangd
