// Command line: aorm-clangd's own options; everything else is clangd's and is passed on.
#pragma once

#include "Log.h"

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace aorm::clangd {

struct Options {
  std::optional<std::string> Clangd;             // --clangd=PATH
  std::chrono::milliseconds Debounce{300};       // --aorm-debounce=MS
  std::optional<std::string> CompileCommandsDir; // clangd's --compile-commands-dir, also read
  LogLevel Level = LogLevel::Info;               // clangd's --log, also read
  bool Help = false;                             // --aorm-help
  std::vector<std::string> ClangdArgs;           // Passed to clangd unchanged.
};

// Parses argv; on a bad value returns nothing and sets Error to a message naming the option.
std::optional<Options> parseOptions(int Argc, char **Argv, std::string &Error);

const char *helpText();

// True when clangd's arguments ask for an answer on stdout rather than an LSP session.
bool isOneShotInvocation(const std::vector<std::string> &ClangdArgs);

} // namespace aorm::clangd
