#include "Options.h"

#include <charconv>
#include <string_view>

namespace aorm::clangd {

namespace {

// Accepts "-name=value", "--name=value", "-name value", "--name value" (clangd's llvm::cl does).
bool matchOption(std::string_view Arg, std::string_view Name, int &I, int Argc, char **Argv,
                 std::optional<std::string> &Value) {
  if (Arg.substr(0, 2) == "--")
    Arg.remove_prefix(2);
  else if (Arg.substr(0, 1) == "-")
    Arg.remove_prefix(1);
  else
    return false;
  if (Arg.substr(0, Name.size()) != Name)
    return false;
  Arg.remove_prefix(Name.size());
  if (Arg.empty()) {
    Value = I + 1 < Argc ? std::optional<std::string>(Argv[++I]) : std::nullopt;
    return true;
  }
  if (Arg.front() != '=')
    return false;
  Value = std::string(Arg.substr(1));
  return true;
}

} // namespace

std::optional<Options> parseOptions(int Argc, char **Argv, std::string &Error) {
  Options Opts;
  for (int I = 1; I < Argc; ++I) {
    std::string_view Arg = Argv[I];
    std::optional<std::string> Value;
    int Start = I;
    if (matchOption(Arg, "clangd", I, Argc, Argv, Value)) {
      if (!Value || Value->empty()) {
        Error = "--clangd needs a path to the clangd executable";
        return std::nullopt;
      }
      Opts.Clangd = *Value;
      continue;
    }
    if (matchOption(Arg, "aorm-debounce", I, Argc, Argv, Value)) {
      unsigned long Ms = 0;
      const char *End = Value ? Value->data() + Value->size() : nullptr;
      if (!Value || Value->empty() || std::from_chars(Value->data(), End, Ms).ptr != End ||
          Ms > 60000) {
        Error = "--aorm-debounce: '" + Value.value_or("") +
                "' is not a number of milliseconds between 0 and 60000";
        return std::nullopt;
      }
      Opts.Debounce = std::chrono::milliseconds(Ms);
      continue;
    }
    if (Arg == "--aorm-help" || Arg == "-aorm-help") {
      Opts.Help = true;
      continue;
    }
    // Options clangd owns: read them, and pass them on exactly as written.
    if (matchOption(Arg, "compile-commands-dir", I, Argc, Argv, Value)) {
      if (!Value || Value->empty()) {
        Error = "--compile-commands-dir needs a directory";
        return std::nullopt;
      }
      Opts.CompileCommandsDir = *Value;
    } else if (matchOption(Arg, "log", I, Argc, Argv, Value)) {
      if (Value && *Value == "error")
        Opts.Level = LogLevel::Error;
      else if (Value && *Value == "info")
        Opts.Level = LogLevel::Info;
      else if (Value && *Value == "verbose")
        Opts.Level = LogLevel::Verbose;
      else {
        Error = "--log: '" + Value.value_or("") + "' is not one of error, info, verbose";
        return std::nullopt;
      }
    }
    for (int J = Start; J <= I; ++J)
      Opts.ClangdArgs.emplace_back(Argv[J]);
  }
  return Opts;
}

bool isOneShotInvocation(const std::vector<std::string> &ClangdArgs) {
  for (std::string_view Arg : ClangdArgs) {
    if (Arg.substr(0, 2) == "--")
      Arg.remove_prefix(1);
    if (Arg == "-version" || Arg == "-help" || Arg == "-help-hidden" || Arg == "-help-list" ||
        Arg.substr(0, 6) == "-check")
      return true;
  }
  return false;
}

const char *helpText() {
  return "aorm-clangd: clangd with the aorm checks. Start it wherever the editor starts clangd.\n"
         "\n"
         "Options of aorm-clangd (all others go to clangd unchanged):\n"
         "  --clangd=PATH         clangd to run (default: clangd-19, then clangd, on PATH)\n"
         "  --aorm-debounce=MS    quiet time after an edit before the aorm checks run (300)\n"
         "  --aorm-help           this text\n"
         "Options of clangd that aorm-clangd also follows:\n"
         "  --compile-commands-dir=DIR   where compile_commands.json is\n"
         "  --log=error|info|verbose     how much aorm-clangd logs to stderr\n";
}

} // namespace aorm::clangd
