// The event loop that aorm::run drives: one thread resumes ready coroutines, fires timers, and takes
// completions posted by worker threads. Every coroutine of a run resumes on that one thread.
#pragma once

#include <chrono>
#include <condition_variable>
#include <coroutine>
#include <deque>
#include <mutex>
#include <queue>
#include <vector>

namespace aorm {

class EventLoop {
public:
  using Clock = std::chrono::steady_clock;

  EventLoop() = default;
  EventLoop(const EventLoop &) = delete;
  EventLoop &operator=(const EventLoop &) = delete;

  // The loop running on the calling thread, or nullptr.
  static EventLoop *current() noexcept;

  // Resume `h` on a later turn of the loop. Loop thread only.
  void schedule(std::coroutine_handle<> h);
  // Resume `h` once `when` has passed. Loop thread only.
  void schedule_at(Clock::time_point when, std::coroutine_handle<> h);
  // Resume `h` on the loop; safe from any thread (worker completions).
  void post(std::coroutine_handle<> h);

  // Whether aorm::run started this loop inside a transaction of its thread (nested in atomic()).
  bool inside_transaction() const noexcept { return inside_transaction_; }
  void set_inside_transaction(bool yes) noexcept { inside_transaction_ = yes; }

  // Runs turns until `done()` is true. Makes this the current loop of the calling thread meanwhile.
  template <class Done> void run_until(Done done) {
    Scope scope(*this);
    while (!done())
      turn();
  }

private:
  struct Timer {
    Clock::time_point when;
    unsigned long long seq; // keeps equal deadlines in the order they were set
    std::coroutine_handle<> handle;
    bool operator>(const Timer &o) const {
      return when != o.when ? when > o.when : seq > o.seq;
    }
  };
  struct Scope {
    explicit Scope(EventLoop &loop);
    ~Scope();
    EventLoop *previous;
  };

  // One turn: take posted completions, fire due timers, resume what is ready; sleep when idle.
  void turn();

  bool inside_transaction_ = false;
  std::deque<std::coroutine_handle<>> ready_;
  std::priority_queue<Timer, std::vector<Timer>, std::greater<>> timers_;
  unsigned long long timer_seq_ = 0;

  std::mutex posted_mutex_;
  std::condition_variable posted_cv_;
  std::vector<std::coroutine_handle<>> posted_;
};

} // namespace aorm
