// The event loop that aorm::run drives: one thread resumes ready coroutines, fires timers, waits on
// file descriptors (epoll) and takes completions posted by worker threads. Every coroutine of a run
// resumes on that one thread. An idle loop sleeps in epoll_wait until an fd is ready, a worker posts
// (an eventfd wakes it) or the next timer is due.
#pragma once

#include <chrono>
#include <coroutine>
#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>
#include <queue>
#include <unordered_map>
#include <vector>

namespace aorm {

class EventLoop;

namespace detail {
// One coroutine waiting for an fd to become readable or writable (see aorm::readable/writable).
// Lives in the waiting coroutine's frame; its destructor deregisters it, so a task destroyed while
// it waits leaves nothing behind in the loop.
class IoWait {
public:
  enum class Dir : std::uint8_t { Read, Write };
  IoWait(int fd, Dir dir, std::optional<std::chrono::steady_clock::time_point> deadline)
      : fd_(fd), dir_(dir), deadline_(deadline) {}
  IoWait(const IoWait &) = delete;
  IoWait &operator=(const IoWait &) = delete;
  ~IoWait();

  bool await_ready() const noexcept { return false; }
  void await_suspend(std::coroutine_handle<> h);
  // True when the fd is ready (or has an error or hang-up: the next read/write reports it),
  // false when the deadline passed first.
  bool await_resume() const noexcept { return ready_; }

private:
  friend class aorm::EventLoop;
  int fd_;
  Dir dir_;
  std::optional<std::chrono::steady_clock::time_point> deadline_;
  EventLoop *loop_ = nullptr; // set while registered
  std::coroutine_handle<> handle_;
  std::uint64_t timer_id_ = 0;
  bool ready_ = false;
};

// A timer that a destroyed sleeping task cancels (see aorm::sleep_for).
class TimerWait {
public:
  explicit TimerWait(std::chrono::steady_clock::time_point when) : when_(when) {}
  TimerWait(const TimerWait &) = delete;
  TimerWait &operator=(const TimerWait &) = delete;
  ~TimerWait();
  bool await_ready() const noexcept { return false; }
  void await_suspend(std::coroutine_handle<> h);
  void await_resume() noexcept { loop_ = nullptr; }

private:
  friend class aorm::EventLoop;
  std::chrono::steady_clock::time_point when_;
  EventLoop *loop_ = nullptr;
  std::uint64_t id_ = 0;
};
} // namespace detail

class EventLoop {
public:
  using Clock = std::chrono::steady_clock;

  EventLoop();
  ~EventLoop();
  EventLoop(const EventLoop &) = delete;
  EventLoop &operator=(const EventLoop &) = delete;

  // The loop running on the calling thread, or nullptr.
  static EventLoop *current() noexcept;

  // Resume `h` on a later turn of the loop. Loop thread only.
  void schedule(std::coroutine_handle<> h);
  // Resume `h` once `when` has passed; returns an id for cancel_timer. Loop thread only.
  std::uint64_t schedule_at(Clock::time_point when, std::coroutine_handle<> h);
  // Forgets a timer that has not fired (no-op when it has). Loop thread only.
  void cancel_timer(std::uint64_t id) noexcept;
  // Resume `h` on the loop; safe from any thread (worker completions).
  void post(std::coroutine_handle<> h);
  // Drops the loop's epoll registration of fd; call before closing an fd a coroutine waited on.
  void forget_fd(int fd) noexcept;

  // Whether aorm::run started this loop inside a transaction of its thread (nested in atomic()).
  bool inside_transaction() const noexcept { return inside_transaction_; }
  void set_inside_transaction(bool yes) noexcept { inside_transaction_ = yes; }

  // Runs turns until `done()` is true. Makes this the current loop of the calling thread meanwhile.
  template <class Done> void run_until(Done done) {
    Scope scope(*this);
    while (!done())
      turn();
  }

  // Counters for tests and benchmarks.
  std::uint64_t polls() const noexcept { return polls_; }   // epoll_wait calls
  std::size_t fds_waited() const noexcept { return waiting_fds_; } // coroutines waiting on fds now

private:
  friend class detail::IoWait;
  friend class detail::TimerWait;

  struct Timer {
    Clock::time_point when;
    std::uint64_t id; // also keeps equal deadlines in the order they were set
    bool operator>(const Timer &o) const { return when != o.when ? when > o.when : id > o.id; }
  };
  // What fires when a timer is due: a coroutine to resume, or an fd wait that timed out.
  struct TimerTarget {
    std::coroutine_handle<> handle;
    detail::IoWait *io = nullptr;
    detail::TimerWait *sleep = nullptr; // unlinked if the loop dies first
  };
  struct FdEntry {
    detail::IoWait *reader = nullptr;
    detail::IoWait *writer = nullptr;
    std::uint32_t registered = 0; // the epoll event mask the kernel holds for the fd (0: none)
  };
  struct Scope {
    explicit Scope(EventLoop &loop);
    ~Scope();
    EventLoop *previous;
  };

  // One turn: poll fds (blocking only when idle), take posted completions, fire due timers,
  // resume what is ready.
  void turn();
  void poll(bool may_block);
  void add_wait(detail::IoWait &w);
  void remove_wait(detail::IoWait &w) noexcept;
  void fire(detail::IoWait &w, bool ready);
  // Brings the kernel's mask for fd in line with its waiters (lazily: a fired waiter's interest
  // stays registered, so the next wait on the same fd costs no system call).
  void sync_interest(int fd, FdEntry &e, bool drop_unwanted) noexcept;
  std::uint64_t add_timer(Clock::time_point when, TimerTarget target);

  bool inside_transaction_ = false;
  std::deque<std::coroutine_handle<>> ready_;
  std::priority_queue<Timer, std::vector<Timer>, std::greater<>> timers_;
  std::unordered_map<std::uint64_t, TimerTarget> timer_targets_; // live timers only
  std::uint64_t timer_seq_ = 0;
  std::unordered_map<int, FdEntry> fds_;
  std::size_t waiting_fds_ = 0;
  std::uint64_t polls_ = 0;

  int epoll_fd_ = -1;
  int wake_fd_ = -1; // eventfd: a post wakes a loop sleeping in epoll_wait

  std::mutex posted_mutex_;
  std::vector<std::coroutine_handle<>> posted_;
  bool sleeping_ = false; // under posted_mutex_: the loop is (about to be) in a blocking poll
};

// Awaitable: resumes the coroutine when fd is readable (true), or when `deadline` passes first
// (false). One reader and one writer per fd at a time.
inline detail::IoWait readable(int fd,
                               std::optional<EventLoop::Clock::time_point> deadline = std::nullopt) {
  return detail::IoWait(fd, detail::IoWait::Dir::Read, deadline);
}
// Awaitable: as readable(), for writability.
inline detail::IoWait writable(int fd,
                               std::optional<EventLoop::Clock::time_point> deadline = std::nullopt) {
  return detail::IoWait(fd, detail::IoWait::Dir::Write, deadline);
}

} // namespace aorm
