#include "Scheduler.h"

#include "Log.h"

#include <exception>

namespace aorm::clangd {

Scheduler::Scheduler(Analyzer &A, std::chrono::milliseconds Debounce, Callback Done)
    : A(A), Debounce(Debounce), Done(std::move(Done)), Worker([this] { run(); }) {}

Scheduler::~Scheduler() {
  {
    std::lock_guard<std::mutex> Lock(Mutex);
    Stopping = true;
  }
  Wake.notify_all();
  Worker.join();
}

void Scheduler::schedule(Job J) {
  {
    std::lock_guard<std::mutex> Lock(Mutex);
    std::string Uri = J.Uri;
    ++Generation[Uri];
    if (Uri == RunningUri)
      CancelRunning = true;
    Queue.insert_or_assign(Uri, Pending{std::move(J), Clock::now() + Debounce});
  }
  Wake.notify_all();
}

void Scheduler::cancel(const std::string &Uri) {
  std::lock_guard<std::mutex> Lock(Mutex);
  ++Generation[Uri];
  if (Uri == RunningUri)
    CancelRunning = true;
  Queue.erase(Uri);
}

void Scheduler::run() {
  std::unique_lock<std::mutex> Lock(Mutex);
  for (;;) {
    if (Stopping)
      return;
    if (Queue.empty()) {
      Wake.wait(Lock);
      continue;
    }
    auto Next = Queue.begin();
    for (auto It = Queue.begin(); It != Queue.end(); ++It)
      if (It->second.Due < Next->second.Due)
        Next = It;
    if (Next->second.Due > Clock::now()) {
      Wake.wait_until(Lock, Next->second.Due);
      continue; // Re-pick: an edit may have pushed the deadline back.
    }
    Job Work = std::move(Next->second.Work);
    Queue.erase(Next);
    std::uint64_t Started = Generation[Work.Uri];
    RunningUri = Work.Uri;
    CancelRunning = false;
    Lock.unlock();
    auto Began = Clock::now();
    AnalysisResult Result;
    try {
      Result = A.analyze(Work.Input, CancelRunning);
    } catch (const std::exception &E) {
      Result.Result = AnalysisResult::Outcome::Failed;
      Result.Detail = "the aorm analysis of " + Work.Input.Path + " failed: " + E.what();
    }
    if (logEnabled(LogLevel::Verbose))
      log(LogLevel::Verbose,
          "aorm checks on " + Work.Input.Path + " version " + std::to_string(Work.Version) +
              " took " +
              std::to_string(
                  std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - Began)
                      .count()) +
              " ms");
    Lock.lock();
    bool Stale = Generation[Work.Uri] != Started;
    RunningUri.clear();
    Lock.unlock();
    try {
      Done(Work, std::move(Result), Stale);
    } catch (const std::exception &E) {
      log(LogLevel::Error, "could not publish aorm results for " + Work.Uri + ": " + E.what());
    }
    Lock.lock();
  }
}

} // namespace aorm::clangd
