#include "Log.h"

#include <atomic>
#include <mutex>
#include <string>
#include <unistd.h>

namespace aorm::clangd {

namespace {
std::atomic<LogLevel> CurrentLevel{LogLevel::Info};
std::mutex LogMutex;

const char *levelName(LogLevel Level) {
  switch (Level) {
  case LogLevel::Error:
    return "error";
  case LogLevel::Info:
    return "info";
  case LogLevel::Verbose:
    return "verbose";
  }
  return "?";
}
} // namespace

void setLogLevel(LogLevel Level) { CurrentLevel = Level; }

bool logEnabled(LogLevel Level) { return Level <= CurrentLevel.load(); }

void log(LogLevel Level, std::string_view Message) {
  if (!logEnabled(Level))
    return;
  std::string Line = "aorm-clangd: ";
  Line += levelName(Level);
  Line += ": ";
  Line += Message;
  Line += '\n';
  std::lock_guard<std::mutex> Lock(LogMutex);
  // Raw write: the proxy's fd 1 is redirected to stderr, and iostreams are not thread-safe.
  const char *Data = Line.data();
  std::size_t Left = Line.size();
  while (Left > 0) {
    ssize_t N = ::write(STDERR_FILENO, Data, Left);
    if (N <= 0)
      return;
    Data += N;
    Left -= static_cast<std::size_t>(N);
  }
}

} // namespace aorm::clangd
