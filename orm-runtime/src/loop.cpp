// The event loop: a ready queue, a timer heap, epoll for fd readiness and an eventfd that lets
// worker threads wake a sleeping loop.
#include "aorm/loop.hpp"

#include "aorm/errors.hpp"

#include <cerrno>
#include <cstring>
#include <string>
#include <utility>

#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

namespace aorm {

namespace {
thread_local EventLoop *current_loop = nullptr;

EventLoop &require_loop(const char *what) {
  if (current_loop)
    return *current_loop;
  throw Error(std::string("aorm: ") + what +
              " awaited outside aorm::run(); drive the task with aorm::run");
}

[[noreturn]] void fail_errno(const std::string &what) {
  throw Error("aorm: event loop: " + what + ": " + std::strerror(errno));
}

std::uint32_t mask_of(bool read, bool write) {
  return (read ? EPOLLIN | EPOLLRDHUP : 0u) | (write ? EPOLLOUT : 0u);
}

// epoll_pwait2 takes a timespec (timers are due to the microsecond); kernels before 5.11 lack
// it, and there the timeout rounds up to whole milliseconds.
int wait_events(int epfd, epoll_event *events, int n, long long timeout_ns) {
  static bool have_pwait2 = true;
  if (have_pwait2) {
    timespec ts{};
    timespec *tsp = nullptr;
    if (timeout_ns >= 0) {
      ts.tv_sec = static_cast<time_t>(timeout_ns / 1000000000);
      ts.tv_nsec = static_cast<long>(timeout_ns % 1000000000);
      tsp = &ts;
    }
    int rc = ::epoll_pwait2(epfd, events, n, tsp, nullptr);
    if (rc >= 0 || errno != ENOSYS)
      return rc;
    have_pwait2 = false;
  }
  int ms = timeout_ns < 0 ? -1 : static_cast<int>((timeout_ns + 999999) / 1000000);
  return ::epoll_wait(epfd, events, n, ms);
}
} // namespace

EventLoop *EventLoop::current() noexcept { return current_loop; }

EventLoop::Scope::Scope(EventLoop &loop) : previous(current_loop) { current_loop = &loop; }
EventLoop::Scope::~Scope() { current_loop = previous; }

EventLoop::EventLoop() {
  epoll_fd_ = ::epoll_create1(EPOLL_CLOEXEC);
  if (epoll_fd_ < 0)
    fail_errno("epoll_create1");
  wake_fd_ = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  if (wake_fd_ < 0) {
    ::close(epoll_fd_);
    fail_errno("eventfd");
  }
  epoll_event ev{};
  ev.events = EPOLLIN;
  ev.data.fd = wake_fd_;
  if (::epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, wake_fd_, &ev) < 0) {
    ::close(wake_fd_);
    ::close(epoll_fd_);
    fail_errno("epoll_ctl(eventfd)");
  }
}

EventLoop::~EventLoop() {
  // A waiter still registered belongs to a frame that outlives the loop: unlink it so its
  // destructor does not touch a dead loop.
  for (auto &[fd, e] : fds_) {
    if (e.reader)
      e.reader->loop_ = nullptr;
    if (e.writer)
      e.writer->loop_ = nullptr;
  }
  for (auto &[id, target] : timer_targets_)
    if (target.sleep)
      target.sleep->loop_ = nullptr;
  // Post under the lock, as post() does, so a worker finishing its last write is done with us.
  std::lock_guard lock(posted_mutex_);
  ::close(wake_fd_);
  ::close(epoll_fd_);
}

void EventLoop::schedule(std::coroutine_handle<> h) { ready_.push_back(h); }

std::uint64_t EventLoop::add_timer(Clock::time_point when, TimerTarget target) {
  std::uint64_t id = ++timer_seq_;
  timers_.push(Timer{when, id});
  timer_targets_.emplace(id, target);
  return id;
}

std::uint64_t EventLoop::schedule_at(Clock::time_point when, std::coroutine_handle<> h) {
  return add_timer(when, TimerTarget{h, nullptr});
}

void EventLoop::cancel_timer(std::uint64_t id) noexcept { timer_targets_.erase(id); }

void EventLoop::post(std::coroutine_handle<> h) {
  // Wake under the lock: once it is released the loop may finish and destroy this object.
  std::lock_guard lock(posted_mutex_);
  posted_.push_back(h);
  if (sleeping_) {
    sleeping_ = false;
    std::uint64_t one = 1;
    ssize_t n = ::write(wake_fd_, &one, sizeof one);
    (void)n; // a full counter (EAGAIN) already wakes the loop
  }
}

void EventLoop::sync_interest(int fd, FdEntry &e, bool drop_unwanted) noexcept {
  std::uint32_t want = mask_of(e.reader != nullptr, e.writer != nullptr);
  // Keep a registration nobody waits on until it reports something: then drop it.
  if (!drop_unwanted && (want & e.registered) == want)
    return;
  if (want == e.registered)
    return;
  epoll_event ev{};
  ev.events = want;
  ev.data.fd = fd;
  if (want == 0) {
    ::epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, fd, nullptr);
  } else if (e.registered == 0) {
    // The fd may still be known to the kernel from before a forget-less close and reuse.
    if (::epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, fd, &ev) < 0 && errno == EEXIST)
      ::epoll_ctl(epoll_fd_, EPOLL_CTL_MOD, fd, &ev);
  } else if (::epoll_ctl(epoll_fd_, EPOLL_CTL_MOD, fd, &ev) < 0 && errno == ENOENT) {
    ::epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, fd, &ev); // closed and reopened under the same number
  }
  e.registered = want;
}

void EventLoop::add_wait(detail::IoWait &w) {
  FdEntry &e = fds_[w.fd_];
  detail::IoWait *&slot = w.dir_ == detail::IoWait::Dir::Read ? e.reader : e.writer;
  if (slot)
    throw Error("aorm: fd " + std::to_string(w.fd_) + " already has a coroutine waiting for it to be " +
                (w.dir_ == detail::IoWait::Dir::Read ? "readable" : "writable"));
  std::uint32_t want = mask_of(e.reader || w.dir_ == detail::IoWait::Dir::Read,
                               e.writer || w.dir_ == detail::IoWait::Dir::Write);
  if ((want & e.registered) != want) {
    epoll_event ev{};
    ev.events = want;
    ev.data.fd = w.fd_;
    int rc = ::epoll_ctl(epoll_fd_, e.registered ? EPOLL_CTL_MOD : EPOLL_CTL_ADD, w.fd_, &ev);
    if (rc < 0 && errno == EEXIST)
      rc = ::epoll_ctl(epoll_fd_, EPOLL_CTL_MOD, w.fd_, &ev);
    else if (rc < 0 && errno == ENOENT)
      rc = ::epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, w.fd_, &ev);
    if (rc < 0) {
      int err = errno;
      if (!e.reader && !e.writer && e.registered == 0)
        fds_.erase(w.fd_);
      errno = err;
      fail_errno("cannot wait on fd " + std::to_string(w.fd_));
    }
    e.registered = want;
  }
  slot = &w;
  w.loop_ = this;
  ++waiting_fds_;
  if (w.deadline_)
    w.timer_id_ = add_timer(*w.deadline_, TimerTarget{{}, &w});
}

void EventLoop::remove_wait(detail::IoWait &w) noexcept {
  auto it = fds_.find(w.fd_);
  if (it != fds_.end()) {
    detail::IoWait *&slot = w.dir_ == detail::IoWait::Dir::Read ? it->second.reader : it->second.writer;
    if (slot == &w) {
      slot = nullptr;
      --waiting_fds_;
    }
  }
  if (w.timer_id_)
    cancel_timer(std::exchange(w.timer_id_, 0));
  w.loop_ = nullptr;
}

void EventLoop::fire(detail::IoWait &w, bool ready) {
  remove_wait(w);
  w.ready_ = ready;
  ready_.push_back(w.handle_);
}

void EventLoop::forget_fd(int fd) noexcept {
  auto it = fds_.find(fd);
  if (it == fds_.end())
    return;
  for (auto *w : {it->second.reader, it->second.writer})
    if (w)
      fire(*w, true); // the waiter's next read or write reports the closed fd
  if (it->second.registered)
    ::epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, fd, nullptr);
  fds_.erase(it);
}

void EventLoop::poll(bool may_block) {
  long long timeout_ns = 0;
  if (may_block) {
    std::lock_guard lock(posted_mutex_);
    if (!posted_.empty())
      may_block = false;
    else
      sleeping_ = true;
  }
  if (may_block) {
    // Drop cancelled timers from the top, so the sleep ends at a live one.
    while (!timers_.empty() && !timer_targets_.count(timers_.top().id))
      timers_.pop();
    if (timers_.empty()) {
      timeout_ns = -1;
    } else {
      auto left = timers_.top().when - Clock::now();
      timeout_ns = left.count() <= 0 ? 0 : std::chrono::duration_cast<std::chrono::nanoseconds>(left).count();
    }
  }
  epoll_event events[64];
  ++polls_;
  int n = wait_events(epoll_fd_, events, 64, timeout_ns);
  if (may_block) {
    std::lock_guard lock(posted_mutex_);
    sleeping_ = false;
  }
  if (n < 0) {
    if (errno == EINTR)
      return;
    fail_errno("epoll_wait");
  }
  for (int i = 0; i < n; ++i) {
    int fd = events[i].data.fd;
    std::uint32_t got = events[i].events;
    if (fd == wake_fd_) {
      std::uint64_t count = 0;
      ssize_t r = ::read(wake_fd_, &count, sizeof count);
      (void)r;
      continue;
    }
    auto it = fds_.find(fd);
    if (it == fds_.end()) {
      ::epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, fd, nullptr);
      continue;
    }
    FdEntry &e = it->second;
    bool broken = got & (EPOLLERR | EPOLLHUP);
    if (e.reader && (got & (EPOLLIN | EPOLLRDHUP) || broken))
      fire(*e.reader, true);
    if (e.writer && (got & EPOLLOUT || broken))
      fire(*e.writer, true);
    // An event for an fd nobody waits on (any more): stop listening for it.
    sync_interest(fd, e, true);
    if (!e.reader && !e.writer && e.registered == 0)
      fds_.erase(it);
  }
}

void EventLoop::turn() {
  bool idle = ready_.empty();
  // With nothing ready, sleep in epoll_wait; with work ready, look at fds only when some wait.
  if (idle || waiting_fds_ > 0)
    poll(idle);
  {
    std::lock_guard lock(posted_mutex_);
    ready_.insert(ready_.end(), posted_.begin(), posted_.end());
    posted_.clear();
  }
  for (auto now = Clock::now(); !timers_.empty() && timers_.top().when <= now;) {
    auto id = timers_.top().id;
    timers_.pop();
    auto it = timer_targets_.find(id);
    if (it == timer_targets_.end())
      continue; // cancelled
    TimerTarget target = it->second;
    timer_targets_.erase(it);
    if (target.io) {
      target.io->timer_id_ = 0;
      fire(*target.io, false);
    } else {
      ready_.push_back(target.handle);
    }
  }
  // Resume only what was ready at the start of the turn, so timers, fds and posts are seen between.
  for (auto n = ready_.size(); n > 0 && !ready_.empty(); --n) {
    auto h = ready_.front();
    ready_.pop_front();
    h.resume();
  }
}

namespace detail {

IoWait::~IoWait() {
  if (loop_)
    loop_->remove_wait(*this);
}

void IoWait::await_suspend(std::coroutine_handle<> h) {
  EventLoop &loop = require_loop(dir_ == Dir::Read ? "aorm::readable" : "aorm::writable");
  handle_ = h;
  ready_ = false;
  loop.add_wait(*this);
}

TimerWait::~TimerWait() {
  if (loop_)
    loop_->cancel_timer(id_);
}

void TimerWait::await_suspend(std::coroutine_handle<> h) {
  EventLoop &loop = require_loop("sleep_for");
  id_ = loop.add_timer(when_, EventLoop::TimerTarget{h, nullptr, this});
  loop_ = &loop;
}

} // namespace detail

} // namespace aorm
