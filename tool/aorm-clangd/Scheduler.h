// One worker thread that analyses edited files after a quiet period. A newer edit of a file
// replaces its queued run; a run overtaken while in progress is reported as stale.
#pragma once

#include "Analyzer.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>

namespace aorm::clangd {

struct Job {
  std::string Uri;
  std::int64_t Version = 0;
  AnalysisInput Input;
};

class Scheduler {
public:
  // Done runs on the worker thread after each analysis; Stale says a newer job for the same file
  // was queued while this one ran, so its result must not be shown.
  using Callback = std::function<void(const Job &, AnalysisResult Result, bool Stale)>;

  Scheduler(Analyzer &A, std::chrono::milliseconds Debounce, Callback Done);
  ~Scheduler();

  void schedule(Job J);
  void cancel(const std::string &Uri);

private:
  using Clock = std::chrono::steady_clock;
  struct Pending {
    Job Work;
    Clock::time_point Due;
  };
  void run();

  Analyzer &A;
  std::chrono::milliseconds Debounce;
  Callback Done;
  std::mutex Mutex;
  std::condition_variable Wake;
  std::map<std::string, Pending> Queue;
  std::map<std::string, std::uint64_t> Generation; // Bumped by every schedule/cancel of a file.
  std::string RunningUri;                          // The file being analysed, if any.
  std::atomic<bool> CancelRunning{false};
  bool Stopping = false;
  std::thread Worker;
};

} // namespace aorm::clangd
