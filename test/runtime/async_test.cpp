// The async core: Task, run, sync_to_async, gather, sleep_for.
#include "aorm/async.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>

namespace {

using aorm::Task;

Task<int> answer() { co_return 42; }
Task<void> nothing() { co_return; }
Task<int> fails() {
  throw std::runtime_error("boom");
  co_return 0;
}
Task<int> add_one(Task<int> inner) { co_return co_await std::move(inner) + 1; }

TEST(Task, RunReturnsTheValue) { EXPECT_EQ(aorm::run(answer()), 42); }

TEST(Task, IsLazyUntilAwaited) {
  bool started = false;
  auto body = [&]() -> Task<void> {
    started = true;
    co_return;
  };
  auto task = body();
  EXPECT_FALSE(started);
  aorm::run(std::move(task));
  EXPECT_TRUE(started);
}

TEST(Task, ExceptionReachesTheAwaiter) {
  auto catcher = []() -> Task<std::string> {
    try {
      co_await fails();
    } catch (const std::runtime_error &e) {
      co_return e.what();
    }
    co_return "not thrown";
  };
  EXPECT_EQ(aorm::run(catcher()), "boom");
  EXPECT_THROW(aorm::run(fails()), std::runtime_error);
}

TEST(Task, VoidTask) { EXPECT_NO_THROW(aorm::run(nothing())); }

TEST(Task, MoveOnlyResult) {
  auto make = []() -> Task<std::unique_ptr<int>> { co_return std::make_unique<int>(7); };
  EXPECT_EQ(*aorm::run(make()), 7);
}

// Symmetric transfer: a long chain of awaits resumes without growing the stack.
Task<int> chain(int depth) {
  if (depth == 0)
    co_return 0;
  co_return co_await chain(depth - 1) + 1;
}

TEST(Task, DeepChainDoesNotOverflowTheStack) { EXPECT_EQ(aorm::run(chain(200000)), 200000); }

TEST(Task, NestedTasks) { EXPECT_EQ(aorm::run(add_one(add_one(answer()))), 44); }

TEST(Run, RejectsAnEmptyTask) {
  Task<int> empty;
  EXPECT_THROW(aorm::run(std::move(empty)), aorm::Error);
}

TEST(Run, RejectsARunInsideARunningLoop) {
  auto outer = []() -> Task<bool> {
    try {
      (void)aorm::run(answer());
    } catch (const aorm::Error &) {
      co_return true;
    }
    co_return false;
  };
  EXPECT_TRUE(aorm::run(outer()));
}

TEST(SyncToAsync, RunsOffTheLoopAndResumesOnIt) {
  auto body = []() -> Task<bool> {
    auto loop_thread = std::this_thread::get_id();
    auto worker = co_await aorm::sync_to_async([] { return std::this_thread::get_id(); });
    co_return worker != loop_thread && std::this_thread::get_id() == loop_thread;
  };
  EXPECT_TRUE(aorm::run(body()));
}

TEST(SyncToAsync, PropagatesExceptionsAndVoid) {
  auto body = []() -> Task<int> {
    int touched = 0;
    co_await aorm::sync_to_async([&] { touched = 1; });
    try {
      co_await aorm::sync_to_async([]() -> int { throw std::logic_error("worker failed"); });
    } catch (const std::logic_error &) {
      touched += 10;
    }
    co_return touched;
  };
  EXPECT_EQ(aorm::run(body()), 11);
}

TEST(SyncToAsync, OutsideALoopIsAClearError) {
  // A Task awaited by a hand-rolled driver with no loop: the awaiter names the fix.
  auto task = aorm::sync_to_async([] { return 1; });
  auto handle = task.handle();
  handle.resume();
  ASSERT_TRUE(handle.done());
  try {
    (void)handle.promise().take();
    FAIL() << "expected aorm::Error";
  } catch (const aorm::Error &e) {
    EXPECT_NE(std::string(e.what()).find("aorm::run"), std::string::npos) << e.what();
  }
}

TEST(Gather, TupleKeepsArgumentOrder) {
  auto slow = [](int v, int ms) -> Task<int> {
    co_await aorm::sleep_for(std::chrono::milliseconds(ms));
    co_return v;
  };
  auto body = [&]() -> Task<std::tuple<int, int, std::monostate>> {
    co_return co_await aorm::gather(slow(1, 20), slow(2, 1), nothing());
  };
  auto [a, b, c] = aorm::run(body());
  EXPECT_EQ(a, 1);
  EXPECT_EQ(b, 2);
  (void)c;
}

TEST(Gather, VectorRunsConcurrently) {
  // Every job waits until all have started: only a concurrent gather can finish.
  constexpr int n = 4;
  auto started = std::make_shared<std::atomic<int>>(0);
  auto job = [started](int i) -> Task<int> {
    // Named before co_await: GCC 12 destroys a capturing lambda temporary there twice.
    auto wait_for_all = [started, i] {
      started->fetch_add(1);
      for (int spins = 0; started->load() < n && spins < 2000; ++spins)
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
      return started->load() == n ? i : -1;
    };
    co_return co_await aorm::sync_to_async(wait_for_all);
  };
  std::vector<Task<int>> tasks;
  for (int i = 0; i < n; ++i)
    tasks.push_back(job(i));
  auto results = aorm::run(aorm::gather(std::move(tasks)));
  EXPECT_EQ(results, (std::vector<int>{0, 1, 2, 3}));
}

TEST(Gather, WaitsForAllThenRethrowsTheFirstError) {
  auto finished = std::make_shared<int>(0);
  auto ok = [finished]() -> Task<int> {
    co_await aorm::sleep_for(std::chrono::milliseconds(5));
    ++*finished;
    co_return 1;
  };
  auto bad = [](std::string what) -> Task<int> {
    throw std::runtime_error(what);
    co_return 0;
  };
  auto body = [&]() -> Task<void> { co_await aorm::gather(ok(), bad("first"), bad("second"), ok()); };
  try {
    aorm::run(body());
    FAIL() << "expected an exception";
  } catch (const std::runtime_error &e) {
    EXPECT_STREQ(e.what(), "first");
  }
  EXPECT_EQ(*finished, 2);
}

TEST(Gather, EmptyVector) {
  EXPECT_TRUE(aorm::run(aorm::gather(std::vector<Task<int>>{})).empty());
}

TEST(Loop, HeartbeatKeepsTickingWhileOffloadedWorkRuns) {
  auto ticks = std::make_shared<int>(0);
  auto done = std::make_shared<bool>(false);
  auto heartbeat = [ticks, done]() -> Task<void> {
    while (!*done) {
      co_await aorm::sleep_for(std::chrono::milliseconds(1));
      ++*ticks;
    }
  };
  auto work = [ticks, done]() -> Task<std::pair<int, std::size_t>> {
    std::vector<Task<int>> jobs;
    for (int i = 0; i < 40; ++i)
      jobs.push_back(aorm::sync_to_async([i] {
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
        return i;
      }));
    auto results = co_await aorm::gather(std::move(jobs));
    *done = true;
    co_return std::pair{*ticks, results.size()};
  };
  auto [beats, outcome] = aorm::run(aorm::gather(heartbeat(), work()));
  (void)beats;
  auto [ticks_during, finished] = outcome;
  EXPECT_EQ(finished, 40u);
  // 40 jobs x 5 ms on 4 workers keep the loop busy for ~50 ms; a free loop ticks many times.
  EXPECT_GT(ticks_during, 5);
}

} // namespace
