// The run-time guard: blocking ORM calls on a running loop's thread throw SynchronousOnlyOperation.
#include "aorm/async.hpp"
#include "aorm/guard.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <string>

namespace {

struct AllowUnsafe {
  explicit AllowUnsafe(const char *value) { ::setenv("AORM_ALLOW_ASYNC_UNSAFE", value, 1); }
  ~AllowUnsafe() { ::unsetenv("AORM_ALLOW_ASYNC_UNSAFE"); }
};

aorm::Task<std::string> guarded_on_loop() {
  try {
    aorm::guard_sync("QuerySet::get()");
  } catch (const aorm::SynchronousOnlyOperation &e) {
    co_return e.what();
  }
  co_return "";
}

TEST(Guard, PlainThreadIsAllowed) { EXPECT_NO_THROW(aorm::guard_sync("QuerySet::get()")); }

TEST(Guard, LoopThreadThrowsNamingTheCall) {
  std::string message = aorm::run(guarded_on_loop());
  EXPECT_NE(message.find("QuerySet::get()"), std::string::npos) << message;
  EXPECT_NE(message.find("sync_to_async"), std::string::npos) << message;
  EXPECT_NE(message.find("AORM_ALLOW_ASYNC_UNSAFE"), std::string::npos) << message;
}

TEST(Guard, WorkerThreadIsAllowed) {
  auto body = []() -> aorm::Task<bool> {
    co_return co_await aorm::sync_to_async([] {
      aorm::guard_sync("QuerySet::get()");
      return true;
    });
  };
  EXPECT_TRUE(aorm::run(body()));
}

TEST(Guard, AfterTheLoopEndsTheThreadIsPlainAgain) {
  (void)aorm::run(guarded_on_loop());
  EXPECT_NO_THROW(aorm::guard_sync("QuerySet::get()"));
}

TEST(Guard, EnvironmentTurnsItOff) {
  {
    AllowUnsafe allow("1");
    EXPECT_TRUE(aorm::async_unsafe_allowed());
    EXPECT_EQ(aorm::run(guarded_on_loop()), "");
  }
  AllowUnsafe zero("0");
  EXPECT_FALSE(aorm::async_unsafe_allowed());
  EXPECT_NE(aorm::run(guarded_on_loop()), "");
}

} // namespace
