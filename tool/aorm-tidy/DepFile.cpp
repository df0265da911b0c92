#include "DepFile.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

namespace aorm::tidy {

std::vector<std::string> parseDepFile(std::string_view Text, std::string_view Directory) {
  std::vector<std::string> Paths;
  llvm::StringSet<> Seen;
  bool InTarget = true; // Everything up to the first unescaped ':' names the target.
  std::string Word;
  auto Flush = [&] {
    if (Word.empty())
      return;
    llvm::SmallString<256> Path(Word);
    if (!llvm::sys::path::is_absolute(Path)) {
      llvm::SmallString<256> Abs(Directory);
      llvm::sys::path::append(Abs, Path);
      Path = Abs;
    }
    // '..' cannot be removed lexically: after a symlink (/lib -> usr/lib) it climbs out of the
    // link's target, not out of the link. Resolve through the file system; a path that does not
    // resolve keeps its '..' so it still names the file the compiler read.
    llvm::SmallString<256> Real;
    if (!llvm::sys::fs::real_path(Path, Real))
      Path = Real;
    else
      llvm::sys::path::remove_dots(Path, /*remove_dot_dot=*/false);
    if (Seen.insert(Path).second)
      Paths.emplace_back(Path.str());
    Word.clear();
  };
  for (std::size_t I = 0; I < Text.size(); ++I) {
    char C = Text[I];
    if (C == '\\' && I + 1 < Text.size()) {
      char Next = Text[I + 1];
      if (Next == '\n' || Next == '\r') { // Line continuation.
        if (!InTarget)
          Flush();
        ++I;
        if (Next == '\r' && I + 1 < Text.size() && Text[I + 1] == '\n')
          ++I;
        continue;
      }
      if (Next == ' ' || Next == '#' || Next == '\\') { // Escaped character in a path.
        Word += Next;
        ++I;
        continue;
      }
    }
    if (C == '$' && I + 1 < Text.size() && Text[I + 1] == '$') {
      Word += '$';
      ++I;
      continue;
    }
    if (InTarget) {
      // A ':' followed by whitespace ends the target; "C:\..." style drive letters do not.
      if (C == ':' && (I + 1 == Text.size() || Text[I + 1] == ' ' || Text[I + 1] == '\n')) {
        InTarget = false;
        Word.clear();
      } else if (C != ' ' && C != '\t' && C != '\n') {
        Word += C;
      } else {
        Word.clear();
      }
      continue;
    }
    if (C == ' ' || C == '\t' || C == '\r') {
      Flush();
    } else if (C == '\n') {
      Flush();
      InTarget = true; // A new rule (e.g. -MP phony targets) starts on the next line.
    } else {
      Word += C;
    }
  }
  if (!InTarget)
    Flush();
  return Paths;
}

} // namespace aorm::tidy
