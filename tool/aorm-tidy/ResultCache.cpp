#include "ResultCache.h"

#include "FindingsJson.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Support/xxhash.h"

#include <nlohmann/json.hpp>

namespace aorm::tidy {
namespace {

std::string hex128(llvm::XXH128_hash_t H) {
  return llvm::utohexstr(H.high64, true, 16) + llvm::utohexstr(H.low64, true, 16);
}

std::optional<std::string> hashFile(const std::string &Path) {
  auto Buffer =
      llvm::MemoryBuffer::getFile(Path, /*IsText=*/false, /*RequiresNullTerminator=*/false);
  if (!Buffer)
    return std::nullopt;
  llvm::StringRef Data = (*Buffer)->getBuffer();
  return hex128(llvm::xxh3_128bits(llvm::arrayRefFromStringRef(Data)));
}

} // namespace

llvm::Expected<std::unique_ptr<ResultCache>> ResultCache::open(std::string Dir,
                                                               std::string ToolIdentity) {
  llvm::SmallString<256> Abs(Dir);
  if (std::error_code EC = llvm::sys::fs::make_absolute(Abs))
    return llvm::createStringError(EC, "--cache-dir '%s': %s", Dir.c_str(), EC.message().c_str());
  if (std::error_code EC = llvm::sys::fs::create_directories(Abs))
    return llvm::createStringError(EC, "--cache-dir '%s': cannot create directory: %s", Dir.c_str(),
                                   EC.message().c_str());
  if (!llvm::sys::fs::is_directory(Abs))
    return llvm::createStringError(std::errc::not_a_directory,
                                   "--cache-dir '%s' is not a directory", Dir.c_str());
  return std::unique_ptr<ResultCache>(new ResultCache(Abs.str().str(), std::move(ToolIdentity)));
}

std::string ResultCache::key(const std::vector<std::string> &Parts) const {
  std::string Text = ToolIdentity;
  for (const std::string &P : Parts) {
    // Length-prefixed so ("ab", "c") and ("a", "bc") differ.
    Text += std::to_string(P.size());
    Text += ':';
    Text += P;
  }
  return hex128(llvm::xxh3_128bits(llvm::arrayRefFromStringRef(Text)));
}

std::string ResultCache::entryPath(const std::string &Key) const {
  llvm::SmallString<256> Path(Dir);
  llvm::sys::path::append(Path, Key + ".json");
  return Path.str().str();
}

std::optional<std::string> ResultCache::contentHash(const std::string &Path) {
  {
    std::lock_guard<std::mutex> Lock(HashesMutex);
    if (auto It = Hashes.find(Path); It != Hashes.end())
      return It->second;
  }
  std::optional<std::string> H = hashFile(Path);
  std::lock_guard<std::mutex> Lock(HashesMutex);
  Hashes.emplace(Path, H);
  return H;
}

std::optional<ResultCache::Entry> ResultCache::lookupEntry(const std::string &Key) {
  auto Buffer = llvm::MemoryBuffer::getFile(entryPath(Key));
  if (!Buffer)
    return std::nullopt;
  nlohmann::json Entry =
      nlohmann::json::parse((*Buffer)->getBuffer().begin(), (*Buffer)->getBuffer().end(), nullptr,
                            /*allow_exceptions=*/false);
  if (!Entry.is_object() || !Entry.contains("dependencies") || !Entry.contains("findings"))
    return std::nullopt;
  try {
    for (const auto &Dep : Entry["dependencies"]) {
      std::optional<std::string> Now = contentHash(Dep.at("file").get<std::string>());
      if (!Now || *Now != Dep.at("hash").get<std::string>())
        return std::nullopt;
    }
    std::string Summary;
    if (Entry.contains("summary"))
      Summary = Entry["summary"].get<std::string>();
    return ResultCache::Entry{findingsFromJson(Entry["findings"]), std::move(Summary)};
  } catch (const std::exception &) {
    return std::nullopt; // Written by another version or damaged: recompute.
  }
}

llvm::Error ResultCache::store(const std::string &Key, const std::vector<std::string> &Dependencies,
                               const std::vector<ClangTidyError> &Errors,
                               const std::string &Summary) {
  nlohmann::json Deps = nlohmann::json::array();
  for (const std::string &File : Dependencies) {
    std::optional<std::string> H = contentHash(File);
    if (!H)
      return llvm::Error::success(); // A dependency vanished mid-run: do not cache.
    Deps.push_back({{"file", File}, {"hash", *H}});
  }
  nlohmann::json Entry = {{"dependencies", std::move(Deps)},
                          {"findings", findingsToJson(Errors, nullptr)},
                          {"summary", Summary}};
  // Write then rename, so a concurrent reader never sees half an entry.
  std::string Path = entryPath(Key);
  llvm::SmallString<256> Temp;
  int FD = -1;
  if (std::error_code EC = llvm::sys::fs::createUniqueFile(Path + ".%%%%%%.tmp", FD, Temp))
    return llvm::createStringError(EC, "cache entry '%s': %s", Path.c_str(), EC.message().c_str());
  {
    llvm::raw_fd_ostream OS(FD, /*shouldClose=*/true);
    OS << Entry.dump();
  }
  if (std::error_code EC = llvm::sys::fs::rename(Temp, Path)) {
    llvm::sys::fs::remove(Temp);
    return llvm::createStringError(EC, "cache entry '%s': %s", Path.c_str(), EC.message().c_str());
  }
  return llvm::Error::success();
}

std::string toolIdentity(const char *Argv0) {
  static int Anchor;
  std::string Exe = llvm::sys::fs::getMainExecutable(Argv0, &Anchor);
  std::optional<std::string> H = hashFile(Exe);
  return std::string(AORM_TIDY_VERSION) + "/" + H.value_or(Exe);
}

} // namespace aorm::tidy
