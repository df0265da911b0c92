// The event loop's fd readiness: aorm::readable / aorm::writable on pipes and socketpairs, with
// deadlines, alongside timers and worker posts, and deregistration when a waiting task dies.
#include "aorm/async.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

namespace {

using aorm::Task;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

struct Pipe {
  int fds[2] = {-1, -1};
  Pipe() {
    if (::pipe2(fds, O_NONBLOCK | O_CLOEXEC) != 0)
      throw std::runtime_error("pipe2 failed");
  }
  ~Pipe() {
    for (int fd : fds)
      if (fd >= 0)
        ::close(fd);
  }
  int read_end() const { return fds[0]; }
  int write_end() const { return fds[1]; }
  void put(char c) const { ASSERT_EQ(::write(fds[1], &c, 1), 1); }
};

char take(int fd) {
  char c = 0;
  return ::read(fd, &c, 1) == 1 ? c : '\0';
}

// Waits for the fd, then reads one byte; records the order of wake-ups.
Task<void> reader(int fd, char &got, std::vector<int> &order, int id) {
  bool ready = co_await aorm::readable(fd);
  EXPECT_TRUE(ready);
  got = take(fd);
  order.push_back(id);
}

TEST(LoopIo, ReadinessWakesTheCoroutineWaitingOnThatFd) {
  Pipe a, b;
  char got_a = 0, got_b = 0;
  std::vector<int> order;
  auto body = [&]() -> Task<void> {
    auto writer = [&]() -> Task<void> {
      co_await aorm::sleep_for(5ms);
      b.put('b'); // only b: a's reader must stay asleep
      co_await aorm::sleep_for(5ms);
      EXPECT_EQ(order, std::vector<int>{2});
      a.put('a');
    };
    co_await aorm::gather(reader(a.read_end(), got_a, order, 1),
                          reader(b.read_end(), got_b, order, 2), writer());
  };
  aorm::run(body());
  EXPECT_EQ(got_a, 'a');
  EXPECT_EQ(got_b, 'b');
  EXPECT_EQ(order, (std::vector<int>{2, 1}));
}

TEST(LoopIo, AnAlreadyReadyFdResumesAtOnce) {
  Pipe p;
  p.put('x');
  auto body = [&]() -> Task<char> {
    bool ready = co_await aorm::readable(p.read_end(), Clock::now() + 10s);
    EXPECT_TRUE(ready);
    co_return take(p.read_end());
  };
  auto t0 = Clock::now();
  EXPECT_EQ(aorm::run(body()), 'x');
  EXPECT_LT(Clock::now() - t0, 5s); // the deadline did not have to pass
}

TEST(LoopIo, ManyFdsAtOnce) {
  constexpr int kPipes = 100;
  std::vector<Pipe> pipes(kPipes);
  std::vector<char> got(kPipes, 0);
  std::vector<int> order;
  auto body = [&]() -> Task<void> {
    std::vector<Task<void>> tasks;
    for (int i = 0; i < kPipes; ++i)
      tasks.push_back(reader(pipes[i].read_end(), got[i], order, i));
    auto writer = [&]() -> Task<void> {
      co_await aorm::sleep_for(1ms);
      for (int i = kPipes - 1; i >= 0; i -= 2) // odd ones first, in reverse
        pipes[i].put(static_cast<char>('A' + i % 26));
      co_await aorm::sleep_for(2ms);
      EXPECT_EQ(order.size(), static_cast<std::size_t>(kPipes / 2));
      for (int i = kPipes - 2; i >= 0; i -= 2)
        pipes[i].put(static_cast<char>('A' + i % 26));
    };
    tasks.push_back(writer());
    co_await aorm::gather(std::move(tasks));
  };
  aorm::run(body());
  ASSERT_EQ(order.size(), static_cast<std::size_t>(kPipes));
  for (int i = 0; i < kPipes; ++i)
    EXPECT_EQ(got[i], static_cast<char>('A' + i % 26)) << "pipe " << i;
  for (int k = 0; k < kPipes / 2; ++k)
    EXPECT_EQ(order[k] % 2, 1) << "wake-up " << k << " was pipe " << order[k];
}

TEST(LoopIo, DeadlinePassesWhenTheFdStaysQuiet) {
  Pipe p;
  auto body = [&]() -> Task<bool> { co_return co_await aorm::readable(p.read_end(), Clock::now() + 20ms); };
  auto t0 = Clock::now();
  EXPECT_FALSE(aorm::run(body()));
  EXPECT_GE(Clock::now() - t0, 20ms);
  // The timed-out wait left nothing registered: a later wait on the same fd works and wakes.
  p.put('z');
  auto again = [&]() -> Task<bool> { co_return co_await aorm::readable(p.read_end(), Clock::now() + 5s); };
  EXPECT_TRUE(aorm::run(again()));
}

TEST(LoopIo, ATimerAndAnFdTogether) {
  Pipe p;
  std::vector<std::string> events;
  auto body = [&]() -> Task<void> {
    auto sleeper = [&]() -> Task<void> {
      co_await aorm::sleep_for(3ms);
      events.push_back("timer");
      p.put('!');
    };
    auto waiter = [&]() -> Task<void> {
      bool ready = co_await aorm::readable(p.read_end(), Clock::now() + 5s);
      events.push_back(ready ? "fd" : "timeout");
    };
    co_await aorm::gather(waiter(), sleeper());
  };
  aorm::run(body());
  EXPECT_EQ(events, (std::vector<std::string>{"timer", "fd"}));
}

TEST(LoopIo, WritableOnASocketpairAndDataAcrossIt) {
  int sv[2];
  ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, sv), 0);
  // Fill the send buffer so the writer has to wait until the other side drains it.
  char block[4096] = {};
  std::size_t queued = 0;
  while (::write(sv[0], block, sizeof block) > 0)
    queued += sizeof block;
  ASSERT_GT(queued, 0u);
  bool was_writable_before_drain = true;
  std::size_t drained = 0;
  auto body = [&]() -> Task<void> {
    auto writer = [&]() -> Task<void> {
      was_writable_before_drain = co_await aorm::writable(sv[0], Clock::now() + 10ms);
      bool ready = co_await aorm::writable(sv[0], Clock::now() + 5s);
      EXPECT_TRUE(ready);
      EXPECT_GT(::write(sv[0], "end", 3), 0);
    };
    auto drainer = [&]() -> Task<void> {
      co_await aorm::sleep_for(30ms);
      char buf[65536];
      while (drained < queued) {
        if (!co_await aorm::readable(sv[1], Clock::now() + 5s))
          break;
        ssize_t n = ::read(sv[1], buf, sizeof buf);
        if (n > 0)
          drained += static_cast<std::size_t>(n);
      }
    };
    co_await aorm::gather(writer(), drainer());
  };
  aorm::run(body());
  EXPECT_FALSE(was_writable_before_drain);
  EXPECT_GE(drained, queued);
  ::close(sv[0]);
  ::close(sv[1]);
}

TEST(LoopIo, HangUpWakesTheReader) {
  Pipe p;
  auto body = [&]() -> Task<bool> {
    auto closer = [&]() -> Task<void> {
      co_await aorm::sleep_for(2ms);
      ::close(p.fds[1]);
      p.fds[1] = -1;
    };
    bool ready = false;
    auto waiter = [&]() -> Task<void> { ready = co_await aorm::readable(p.read_end(), Clock::now() + 5s); };
    co_await aorm::gather(waiter(), closer());
    co_return ready && ::read(p.read_end(), nullptr, 0) == 0;
  };
  EXPECT_TRUE(aorm::run(body()));
}

TEST(LoopIo, APostFromAWorkerWakesASleepingLoop) {
  // Nothing but the worker's post can end this wait: no timers, no fds.
  auto body = []() -> Task<int> {
    auto slow = [] {
      std::this_thread::sleep_for(20ms);
      return 7;
    };
    co_return co_await aorm::sync_to_async(slow);
  };
  auto t0 = Clock::now();
  EXPECT_EQ(aorm::run(body()), 7);
  EXPECT_LT(Clock::now() - t0, 5s);
}

TEST(LoopIo, TwoReadersOnOneFdIsAnError) {
  Pipe p;
  auto body = [&]() -> Task<std::string> {
    std::string error;
    auto first = [&]() -> Task<void> { co_await aorm::readable(p.read_end(), Clock::now() + 50ms); };
    auto second = [&]() -> Task<void> {
      try {
        co_await aorm::readable(p.read_end(), Clock::now() + 50ms);
      } catch (const aorm::Error &e) {
        error = e.what();
      }
    };
    co_await aorm::gather(first(), second());
    co_return error;
  };
  std::string error = aorm::run(body());
  EXPECT_NE(error.find("fd " + std::to_string(p.read_end()) + " already has a coroutine waiting"),
            std::string::npos)
      << error;
}

TEST(LoopIo, AwaitingOutsideRunIsAnError) {
  Pipe p;
  auto body = [&]() -> Task<bool> { co_return co_await aorm::readable(p.read_end()); };
  auto task = body();
  // Drive it by hand, without a loop: the awaiter must refuse rather than hang.
  task.handle().resume();
  ASSERT_TRUE(task.handle().done());
  try {
    task.handle().promise().take();
    FAIL() << "no error";
  } catch (const aorm::Error &e) {
    EXPECT_NE(std::string(e.what()).find("aorm::readable awaited outside aorm::run()"), std::string::npos);
  }
}

// A task destroyed while it waits on an fd (or a timer) deregisters: data arriving later resumes
// nothing, and the loop's count of waiting fds drops back.
TEST(LoopIo, ADestroyedWaitingTaskDeregistersItsFd) {
  Pipe p;
  bool resumed = false;
  auto waiting = [&]() -> Task<void> {
    co_await aorm::readable(p.read_end());
    resumed = true;
  };
  auto sleeping = [&]() -> Task<void> {
    co_await aorm::sleep_for(5ms);
    resumed = true;
  };
  aorm::EventLoop loop;
  auto task = std::make_unique<Task<void>>(waiting());
  auto nap = std::make_unique<Task<void>>(sleeping());
  loop.schedule(task->handle());
  loop.schedule(nap->handle());
  bool spun = false;
  loop.run_until([&] { return std::exchange(spun, true); }); // one turn: both suspend
  EXPECT_EQ(loop.fds_waited(), 1u);
  task.reset();
  nap.reset();
  EXPECT_EQ(loop.fds_waited(), 0u);
  p.put('q');
  // Turns until a later timer: the fd event and the cancelled sleep must resume nothing.
  bool done = false;
  auto later = [&]() -> Task<void> {
    co_await aorm::sleep_for(20ms);
    done = true;
  };
  auto t = later();
  loop.schedule(t.handle());
  loop.run_until([&] { return done; });
  EXPECT_FALSE(resumed);
  EXPECT_EQ(take(p.read_end()), 'q'); // nobody consumed it
}

// A registration left behind by a fired waiter is dropped once its fd reports an event nobody
// waits for, so an idle loop does not spin on it.
TEST(LoopIo, AnUnwatchedReadyFdDoesNotSpinTheLoop) {
  Pipe p;
  auto body = [&]() -> Task<void> {
    p.put('1');
    co_await aorm::readable(p.read_end());
    p.put('2'); // left unread: the fd stays readable with no one waiting
    co_await aorm::sleep_for(30ms);
  };
  aorm::EventLoop loop;
  auto t = body();
  loop.schedule(t.handle());
  loop.run_until([&] { return t.handle().done(); });
  EXPECT_LT(loop.polls(), 20u) << "the loop polled " << loop.polls() << " times in 30 ms";
}

} // namespace
