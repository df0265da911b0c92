// Finding the compilation database and choosing the translation units to analyse.
#pragma once

#include "Findings.h"

#include "clang/Tooling/CompilationDatabase.h"
#include "llvm/Support/Error.h"

#include <memory>
#include <string>
#include <vector>

namespace aorm::tidy {

struct LoadedDb {
  std::unique_ptr<clang::tooling::CompilationDatabase> Db;
  std::string Description; // For messages: ".../compile_commands.json" or "flags after --".
  std::string JsonPath;    // The compile_commands.json read, when known.
};

// -p DIR (a directory holding compile_commands.json, or the file itself); else autodetection from
// the first file, then from the working directory. Fails with a message naming where it looked.
llvm::Expected<LoadedDb> loadCompilationDatabase(const std::string &BuildPath,
                                                 const std::vector<std::string> &Files);

struct Shard {
  unsigned Index = 1; // 1-based.
  unsigned Count = 1;
};

// Parses "K/N" with 1 <= K <= N.
llvm::Expected<Shard> parseShard(llvm::StringRef Text);

struct Selection {
  std::vector<std::string> Files;   // To analyse: absolute, sorted, unique, this shard only.
  std::vector<TuResult> Unrunnable; // Named on the command line but missing or not in the DB.
};

// Files named on the command line, or every file in the database when none are. The shard is
// taken over the sorted list (round-robin), so N shards cover every TU exactly once.
Selection selectFiles(const clang::tooling::CompilationDatabase &Db,
                      const std::vector<std::string> &Files, Shard S);

} // namespace aorm::tidy
