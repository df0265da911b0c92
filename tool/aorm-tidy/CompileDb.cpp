#include "CompileDb.h"

#include "clang/Tooling/JSONCompilationDatabase.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

#include <algorithm>

namespace aorm::tidy {

using clang::tooling::CompilationDatabase;

static std::string absolute(llvm::StringRef Path) {
  llvm::SmallString<256> Abs(Path);
  llvm::sys::fs::make_absolute(Abs);
  llvm::sys::path::remove_dots(Abs, /*remove_dot_dot=*/true);
  return Abs.str().str();
}

llvm::Expected<LoadedDb> loadCompilationDatabase(const std::string &BuildPath,
                                                 const std::vector<std::string> &Files) {
  std::string Error;
  if (!BuildPath.empty()) {
    std::string Path = absolute(BuildPath);
    if (!llvm::sys::fs::exists(Path))
      return llvm::createStringError(std::errc::no_such_file_or_directory,
                                     "-p '%s': no such file or directory", BuildPath.c_str());
    if (llvm::sys::fs::is_directory(Path)) {
      llvm::SmallString<256> Json(Path);
      llvm::sys::path::append(Json, "compile_commands.json");
      if (auto Db = CompilationDatabase::loadFromDirectory(Path, Error))
        return LoadedDb{std::move(Db), Json.str().str(), Json.str().str()};
      if (llvm::sys::fs::exists(Json)) {
        // Present but unreadable: the JSON loader alone says what is wrong with it.
        std::string JsonError;
        clang::tooling::JSONCompilationDatabase::loadFromFile(
            Json, JsonError, clang::tooling::JSONCommandLineSyntax::AutoDetect);
        return llvm::createStringError(std::errc::invalid_argument,
                                       "cannot read compilation database '%s': %s", Json.c_str(),
                                       JsonError.c_str());
      }
      return llvm::createStringError(
          std::errc::no_such_file_or_directory,
          "no compilation database in '%s' (expected compile_commands.json; configure with "
          "-DCMAKE_EXPORT_COMPILE_COMMANDS=ON)",
          BuildPath.c_str());
    }
    if (auto Db = clang::tooling::JSONCompilationDatabase::loadFromFile(
            Path, Error, clang::tooling::JSONCommandLineSyntax::AutoDetect))
      return LoadedDb{std::move(Db), Path, Path};
    return llvm::createStringError(std::errc::invalid_argument,
                                   "cannot read compilation database '%s': %s", BuildPath.c_str(),
                                   Error.c_str());
  }
  std::string From = Files.empty() ? absolute(".") : absolute(Files.front());
  std::unique_ptr<CompilationDatabase> Db =
      Files.empty() ? CompilationDatabase::autoDetectFromDirectory(From, Error)
                    : CompilationDatabase::autoDetectFromSource(From, Error);
  if (Db)
    return LoadedDb{std::move(Db), "the compilation database found above '" + From + "'"};
  return llvm::createStringError(
      std::errc::no_such_file_or_directory,
      "no compilation database found above '%s'; pass -p <build-dir> (a directory with "
      "compile_commands.json) or give compiler flags after '--'",
      From.c_str());
}

llvm::Expected<Shard> parseShard(llvm::StringRef Text) {
  auto [K, N] = Text.split('/');
  Shard S;
  if (K.getAsInteger(10, S.Index) || N.getAsInteger(10, S.Count) || S.Count == 0 || S.Index == 0 ||
      S.Index > S.Count)
    return llvm::createStringError(std::errc::invalid_argument,
                                   "--shard='%s': expected K/N with 1 <= K <= N, e.g. 2/4",
                                   Text.str().c_str());
  return S;
}

Selection selectFiles(const CompilationDatabase &Db, const std::vector<std::string> &Files,
                      Shard S) {
  Selection Sel;
  std::vector<std::string> Candidates;
  if (Files.empty()) {
    for (const std::string &F : Db.getAllFiles())
      Candidates.push_back(absolute(F));
  } else {
    // Databases loaded from compile_commands.json infer commands for files they do not list, so
    // membership is decided by the listed files; a database of flags after "--" lists none and
    // covers every file.
    llvm::StringSet<> Listed;
    for (const std::string &F : Db.getAllFiles())
      Listed.insert(absolute(F));
    for (const std::string &F : Files) {
      std::string Abs = absolute(F);
      if (!llvm::sys::fs::exists(Abs)) {
        Sel.Unrunnable.push_back({Abs, TuStatus::Missing, {}});
        continue;
      }
      bool InDb = Listed.empty() ? !Db.getCompileCommands(Abs).empty() : Listed.contains(Abs);
      if (!InDb) {
        Sel.Unrunnable.push_back({Abs, TuStatus::NotInDatabase, {}});
        continue;
      }
      Candidates.push_back(Abs);
    }
  }
  std::sort(Candidates.begin(), Candidates.end());
  Candidates.erase(std::unique(Candidates.begin(), Candidates.end()), Candidates.end());
  for (std::size_t I = 0; I < Candidates.size(); ++I)
    if (I % S.Count == S.Index - 1)
      Sel.Files.push_back(Candidates[I]);
  return Sel;
}

} // namespace aorm::tidy
