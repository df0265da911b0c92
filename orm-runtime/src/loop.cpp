#include "aorm/loop.hpp"

namespace aorm {

namespace {
thread_local EventLoop *current_loop = nullptr;
} // namespace

EventLoop *EventLoop::current() noexcept { return current_loop; }

EventLoop::Scope::Scope(EventLoop &loop) : previous(current_loop) { current_loop = &loop; }
EventLoop::Scope::~Scope() { current_loop = previous; }

void EventLoop::schedule(std::coroutine_handle<> h) { ready_.push_back(h); }

void EventLoop::schedule_at(Clock::time_point when, std::coroutine_handle<> h) {
  timers_.push(Timer{when, timer_seq_++, h});
}

void EventLoop::post(std::coroutine_handle<> h) {
  // Notify under the lock: once it is released the loop may finish and destroy this object.
  std::lock_guard lock(posted_mutex_);
  posted_.push_back(h);
  posted_cv_.notify_one();
}

void EventLoop::turn() {
  {
    std::unique_lock lock(posted_mutex_);
    if (ready_.empty() && posted_.empty()) {
      // Idle: sleep until a worker posts or the next timer is due.
      if (timers_.empty())
        posted_cv_.wait(lock, [&] { return !posted_.empty(); });
      else
        posted_cv_.wait_until(lock, timers_.top().when, [&] { return !posted_.empty(); });
    }
    ready_.insert(ready_.end(), posted_.begin(), posted_.end());
    posted_.clear();
  }
  for (auto now = Clock::now(); !timers_.empty() && timers_.top().when <= now;) {
    ready_.push_back(timers_.top().handle);
    timers_.pop();
  }
  // Resume only what was ready at the start of the turn, so timers and posts are seen between.
  for (auto n = ready_.size(); n > 0 && !ready_.empty(); --n) {
    auto h = ready_.front();
    ready_.pop_front();
    h.resume();
  }
}

} // namespace aorm
