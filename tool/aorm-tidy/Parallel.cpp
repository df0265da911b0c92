#include "Parallel.h"

#include <atomic>
#include <mutex>
#include <thread>

namespace aorm::tidy {

std::vector<TuResult> runParallel(const std::vector<std::string> &Files, unsigned Jobs,
                                  const std::function<TuResult(const std::string &)> &Analyze,
                                  const ProgressLine &Progress) {
  std::vector<TuResult> Results(Files.size());
  std::atomic<std::size_t> Next{0};
  std::mutex ProgressMutex;
  std::size_t Done = 0;
  auto Worker = [&] {
    for (std::size_t I = Next++; I < Files.size(); I = Next++) {
      Results[I] = Analyze(Files[I]);
      if (!Progress.Enabled)
        continue;
      std::lock_guard<std::mutex> Lock(ProgressMutex);
      llvm::StringRef Shown(Files[I]);
      if (!Progress.Root.empty() && Shown.starts_with(Progress.Root + "/"))
        Shown = Shown.drop_front(Progress.Root.size() + 1);
      // \r and clear-to-end-of-line: one line that updates in place.
      *Progress.OS << "\r\x1b[K[" << ++Done << "/" << Files.size() << "] " << Shown;
      Progress.OS->flush();
    }
  };
  unsigned Threads = std::max(1u, std::min<unsigned>(Jobs, Files.size()));
  if (Threads == 1) {
    Worker();
  } else {
    std::vector<std::thread> Pool;
    for (unsigned T = 0; T < Threads; ++T)
      Pool.emplace_back(Worker);
    for (std::thread &T : Pool)
      T.join();
  }
  if (Progress.Enabled && !Files.empty()) {
    *Progress.OS << "\r\x1b[K";
    Progress.OS->flush();
  }
  return Results;
}

} // namespace aorm::tidy
