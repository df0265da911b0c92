// The real clangd as a child process with its stdin and stdout on pipes; stderr is shared.
#pragma once

#include <optional>
#include <string>
#include <sys/types.h>
#include <vector>

namespace aorm::clangd {

struct ChildProcess {
  pid_t Pid = -1;
  int Stdin = -1;  // Write end: what clangd reads.
  int Stdout = -1; // Read end: what clangd writes.
};

// The clangd to run: Explicit if given, else clangd-19 or clangd from PATH. Error names what was
// looked for.
std::optional<std::string> findClangd(const std::optional<std::string> &Explicit,
                                      std::string &Error);

std::optional<ChildProcess> spawn(const std::string &Program, const std::vector<std::string> &Args,
                                  std::string &Error);

// Waits for the child and returns the status a shell would report (128 + signal if killed).
int waitForExit(pid_t Pid);

} // namespace aorm::clangd
