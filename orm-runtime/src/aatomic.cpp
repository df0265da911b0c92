// aatomic on SQLite: each outermost block pins a transaction thread -- a thread of its own with its
// own connection -- and every job of the block (its a-methods, via the Task context) runs there in
// order. Idle transaction threads are kept for the next block, a few of them.
#include "aorm/aatomic.hpp"

#include "aorm/db.hpp"
#include "aorm/errors.hpp"

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace aorm::detail {

// One pinned connection: a thread running the block's jobs in order, and the block's open
// transaction levels (touched only on that thread: SQLite connections are per thread here).
class AsyncTx {
public:
  AsyncTx() : thread_([this] { work(); }) {}
  ~AsyncTx() {
    stop();
    if (thread_.joinable())
      thread_.join();
  }
  void submit(std::function<void()> job) {
    {
      std::lock_guard lock(mutex_);
      jobs_.push_back(std::move(job));
    }
    cv_.notify_one();
  }
  void stop() {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    cv_.notify_one();
  }

  std::vector<std::unique_ptr<Transaction>> levels; // innermost last; this thread only

private:
  void work() {
    for (;;) {
      std::function<void()> job;
      {
        std::unique_lock lock(mutex_);
        cv_.wait(lock, [&] { return stopping_ || !jobs_.empty(); });
        if (jobs_.empty())
          break;
        job = std::move(jobs_.front());
        jobs_.pop_front();
      }
      job();
    }
    levels.clear(); // roll back whatever is left before the connection goes with the thread
  }

  std::mutex mutex_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> jobs_;
  bool stopping_ = false;
  std::thread thread_; // last: started once the members above exist
};

namespace {

constexpr std::size_t kIdleKept = 8;

// Every transaction thread: the idle ones wait for the next block; the retired ones (more idle
// than kept) are joined at the next acquire.
struct Registry {
  std::mutex mutex;
  std::vector<std::unique_ptr<AsyncTx>> idle;
  std::vector<std::unique_ptr<AsyncTx>> busy;
  std::vector<std::unique_ptr<AsyncTx>> retired;
  // At exit a thread may still be running a block's last job, which takes this mutex: join them
  // all while the members still exist.
  ~Registry() {
    std::vector<std::unique_ptr<AsyncTx>> all;
    {
      std::lock_guard lock(mutex);
      for (auto *list : {&idle, &busy, &retired})
        for (auto &tx : *list)
          all.push_back(std::move(tx));
      idle.clear();
      busy.clear();
      retired.clear();
    }
    all.clear(); // each destructor stops and joins its thread
  }
};
Registry &registry() {
  static Registry r;
  return r;
}

AsyncTx *acquire() {
  std::vector<std::unique_ptr<AsyncTx>> finished;
  auto &r = registry();
  std::lock_guard lock(r.mutex);
  finished.swap(r.retired); // joined when this function returns, outside no lock of theirs
  std::unique_ptr<AsyncTx> tx;
  if (!r.idle.empty()) {
    tx = std::move(r.idle.back());
    r.idle.pop_back();
  } else {
    tx = std::make_unique<AsyncTx>();
  }
  r.busy.push_back(std::move(tx));
  return r.busy.back().get();
}

// Runs on tx's own thread as its last job of the block: back to idle (or retired).
void return_to_registry(AsyncTx *tx) {
  auto &r = registry();
  std::lock_guard lock(r.mutex);
  auto it = std::find_if(r.busy.begin(), r.busy.end(), [&](auto &p) { return p.get() == tx; });
  if (it == r.busy.end())
    return;
  std::unique_ptr<AsyncTx> owned = std::move(*it);
  r.busy.erase(it);
  if (r.idle.size() < kIdleKept) {
    r.idle.push_back(std::move(owned));
  } else {
    owned->stop();
    r.retired.push_back(std::move(owned));
  }
}

void truncate_levels(AsyncTx &tx, std::size_t depth) noexcept {
  while (tx.levels.size() > depth)
    tx.levels.pop_back(); // the Transaction's destructor rolls back
}

[[noreturn]] void overlapping(std::size_t expected, std::size_t actual) {
  throw Error("aorm::aatomic: nested blocks of one transaction overlap (expected " +
              std::to_string(expected) + " open levels, found " + std::to_string(actual) +
              "): gathered tasks that each open an aatomic block inside the same transaction "
              "must be awaited one after another");
}

void push_level(AsyncTx &tx, std::size_t depth) {
  if (tx.levels.size() != depth)
    overlapping(depth, tx.levels.size());
  tx.levels.push_back(std::make_unique<Transaction>()); // BEGIN IMMEDIATE or SAVEPOINT
}

void pop_level(AsyncTx &tx, std::size_t depth, bool commit) {
  if (tx.levels.size() != depth + 1)
    overlapping(depth + 1, tx.levels.size());
  std::unique_ptr<Transaction> top = std::move(tx.levels.back());
  tx.levels.pop_back();
  if (commit)
    top->commit(); // when it throws, top's destructor rolls back
}

} // namespace

void submit_to_transaction(AsyncTx &tx, std::function<void()> job) { tx.submit(std::move(job)); }

AtomicLevel::AtomicLevel(TaskContext &here) {
  EventLoop *loop = EventLoop::current();
  if (!loop)
    throw Error("aorm: aatomic awaited outside aorm::run(); drive the task with aorm::run");
  if (here.tx) {
    tx_ = here.tx; // a savepoint on the enclosing block's connection
    return;
  }
  if (loop->inside_transaction())
    throw DatabaseError("aorm: aatomic was awaited in an aorm::run started inside aorm::atomic(): "
                        "its transaction would wait for the lock the outer one holds; await it "
                        "outside atomic(), or call the sync methods inside atomic() instead");
  tx_ = acquire();
  owner_ = true;
  here.tx = tx_;
}

AtomicLevel::~AtomicLevel() {
  AsyncTx *tx = tx_;
  std::size_t depth = depth_;
  if (open_)
    tx->submit([tx, depth] { truncate_levels(*tx, depth); });
  if (owner_)
    tx->submit([tx] {
      truncate_levels(*tx, 0);
      return_to_registry(tx);
    });
}

Task<void> AtomicLevel::begin() {
  // The depth is read on the transaction's thread: jobs there run in order, so it is the number
  // of levels open when this block starts.
  AsyncTx *tx = tx_;
  open_ = true;
  auto job = [tx, this] {
    depth_ = tx->levels.size();
    push_level(*tx, depth_);
  };
  return sync_to_async(job);
}

Task<void> AtomicLevel::end(bool commit) {
  AsyncTx *tx = tx_;
  std::size_t depth = depth_;
  open_ = false;
  auto job = [tx, depth, commit] { pop_level(*tx, depth, commit); };
  return sync_to_async(job);
}

} // namespace aorm::detail
