// Another connection holding the write lock: aorm waits (bounded by its busy timeout) and goes on
// when the lock is released in time, or throws a DatabaseError naming the database path.
#include "fault_models.hpp"

#include <gtest/gtest.h>

#include <sqlite3.h>

#include <chrono>
#include <thread>

namespace faults {
namespace {

using Clock = std::chrono::steady_clock;

// A second, raw connection that takes the write lock with BEGIN IMMEDIATE.
class LockHolder {
public:
  explicit LockHolder(const std::filesystem::path &file) {
    if (sqlite3_open_v2(file.c_str(), &db_, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK)
      throw std::runtime_error("cannot open " + file.string() + ": " + sqlite3_errmsg(db_));
    exec("BEGIN IMMEDIATE");
    exec("INSERT INTO counter (name, n) VALUES ('held', 0)");
  }
  ~LockHolder() {
    release();
    sqlite3_close(db_);
  }
  void release() {
    if (held_)
      exec("COMMIT");
    held_ = false;
  }

private:
  void exec(const char *sql) {
    char *err = nullptr;
    if (sqlite3_exec(db_, sql, nullptr, nullptr, &err) != SQLITE_OK) {
      std::string msg = err ? err : "?";
      sqlite3_free(err);
      throw std::runtime_error(std::string(sql) + ": " + msg);
    }
  }
  sqlite3 *db_ = nullptr;
  bool held_ = true;
};

Counter named(const std::string &name) {
  Counter c;
  c.name = name;
  return c;
}

class BusyDatabase : public ::testing::Test {
protected:
  void SetUp() override {
    aorm::setup(db_.url());
    aorm::migrate<Counter>();
    Counter::objects.create(named("seed")); // WAL file and schema exist before the lock is taken
  }
  ScratchDb db_{"busy"};
};

TEST_F(BusyDatabase, WriteWaitsForALockReleasedWithinTheTimeout) {
  LockHolder holder(db_.path());
  std::thread releaser([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    holder.release();
  });
  Counter made;
  EXPECT_NO_THROW(made = Counter::objects.create(named("waited")));
  releaser.join();
  EXPECT_NE(made.id, 0);
  EXPECT_EQ(Counter::objects.filter(aorm::Q("name", "held")).count(), 1);
  EXPECT_EQ(Counter::objects.filter(aorm::Q("name", "waited")).count(), 1);
}

TEST_F(BusyDatabase, LockHeldPastTheTimeoutIsReportedWithThePath) {
  LockHolder holder(db_.path());
  auto start = Clock::now();
  try {
    Counter::objects.create(named("blocked"));
    FAIL() << "a write succeeded while another connection held the write lock";
  } catch (const aorm::DatabaseError &e) {
    std::string msg = e.what();
    EXPECT_NE(msg.find(db_.path().string()), std::string::npos) << msg;
    EXPECT_NE(msg.find("locked"), std::string::npos) << msg;
  }
  // It retried instead of failing on the first SQLITE_BUSY (the bound itself is the test timeout).
  EXPECT_GE(Clock::now() - start, std::chrono::seconds(1));
}

aorm::Task<std::string> create_async() {
  Counter row = named("blocked async"); // named first: GCC 12 and temporaries in co_await
  try {
    co_await Counter::objects.acreate(row);
  } catch (const aorm::DatabaseError &e) {
    co_return e.what();
  }
  co_return "";
}

TEST_F(BusyDatabase, AwaitedWriteRethrowsTheBusyErrorAtTheAwaiter) {
  LockHolder holder(db_.path());
  std::string msg = aorm::run(create_async());
  EXPECT_NE(msg.find(db_.path().string()), std::string::npos)
      << "expected a DatabaseError naming the path, got: '" << msg << "'";
}

} // namespace
} // namespace faults
