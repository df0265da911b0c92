// The worker pool behind sync_to_async: a fixed set of threads taking jobs from one queue.
#include "aorm/async.hpp"

#include <atomic>
#include <condition_variable>
#include <cstdlib>
#include <deque>
#include <mutex>
#include <string>
#include <thread>

namespace aorm::detail {

namespace {

std::size_t worker_count() {
  if (const char *env = std::getenv("AORM_WORKERS")) {
    char *end = nullptr;
    long n = std::strtol(env, &end, 10);
    if (end != env && *end == '\0' && n > 0 && n <= 256)
      return static_cast<std::size_t>(n);
    throw Error(std::string("aorm: AORM_WORKERS must be a whole number from 1 to 256, got '") +
                env + "'");
  }
  return 4;
}

class Pool {
public:
  explicit Pool(std::size_t n) {
    threads_.reserve(n);
    for (std::size_t i = 0; i < n; ++i)
      threads_.emplace_back([this] { work(); });
  }
  ~Pool() {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    cv_.notify_all();
    for (auto &t : threads_)
      t.join();
  }
  void submit(std::function<void()> job) {
    {
      std::lock_guard lock(mutex_);
      jobs_.push_back(std::move(job));
    }
    cv_.notify_one();
  }

private:
  void work() {
    for (;;) {
      std::function<void()> job;
      {
        std::unique_lock lock(mutex_);
        cv_.wait(lock, [&] { return stopping_ || !jobs_.empty(); });
        if (jobs_.empty())
          return;
        job = std::move(jobs_.front());
        jobs_.pop_front();
      }
      job();
    }
  }

  std::mutex mutex_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> jobs_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

std::atomic<std::uint64_t> g_pool_jobs{0};

} // namespace

std::uint64_t pool_jobs() noexcept { return g_pool_jobs.load(std::memory_order_relaxed); }

void submit_to_pool(std::function<void()> job) {
  static Pool pool(worker_count());
  g_pool_jobs.fetch_add(1, std::memory_order_relaxed);
  pool.submit(std::move(job));
}

} // namespace aorm::detail
