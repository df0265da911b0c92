// Concurrency on a real SQLite file: a gather of 200 aget()s completes while a heartbeat coroutine
// keeps ticking, and the a-methods' database work happens off the loop thread.
#include "aorm/aorm.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <unistd.h>

namespace concurrency_models {
struct Counter : aorm::Model<Counter> {
  std::int64_t id = 0;
  std::string label;
  std::int64_t n = 0;
};
AORM_MODEL(Counter, "concurrency_counter", id, label, n)
} // namespace concurrency_models
using concurrency_models::Counter;

namespace {

class Concurrency : public ::testing::Test {
protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("aorm-concurrency-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_);
    aorm::setup("sqlite:///" + (dir_ / "concurrency.db").string());
    aorm::migrate<Counter>();
    std::vector<Counter> rows(200);
    for (std::size_t i = 0; i < rows.size(); ++i)
      rows[i].label = "row-" + std::to_string(i);
    ids_.clear();
    for (const auto &row : Counter::objects.bulk_create(rows))
      ids_.push_back(row.id);
  }
  // Unindexed filler rows, so that a lookup by label scans and takes long enough to overlap ticks.
  static void add_filler(std::size_t count) {
    std::vector<Counter> filler(count);
    for (auto &row : filler)
      row.label = "filler";
    Counter::objects.bulk_create(filler);
  }
  void TearDown() override {
    aorm::close();
    std::filesystem::remove_all(dir_);
  }
  std::filesystem::path dir_;
  std::vector<std::int64_t> ids_;
};

TEST_F(Concurrency, GatherOf200AgetsCompletesWhileAHeartbeatTicks) {
  // The heartbeat records how many queries were in flight at each tick. Were aget() to block the
  // loop, every query would start and finish within one turn and no tick could see one in flight.
  struct Shared {
    int ticks = 0;
    int in_flight = 0;
    int most_in_flight_seen_by_a_tick = 0;
    bool done = false;
  };
  add_filler(20000);
  auto shared = std::make_shared<Shared>();
  auto heartbeat = [shared]() -> aorm::Task<void> {
    while (!shared->done) {
      co_await aorm::sleep_for(std::chrono::milliseconds(1));
      ++shared->ticks;
      shared->most_in_flight_seen_by_a_tick =
          std::max(shared->most_in_flight_seen_by_a_tick, shared->in_flight);
    }
  };
  auto one = [shared](std::size_t i) -> aorm::Task<Counter> {
    ++shared->in_flight;
    Counter row = co_await Counter::objects.aget(aorm::Q("label", "row-" + std::to_string(i)));
    --shared->in_flight;
    co_return row;
  };
  auto fetch_all = [this, shared, &one]() -> aorm::Task<std::vector<Counter>> {
    std::vector<aorm::Task<Counter>> gets;
    for (std::size_t i = 0; i < ids_.size(); ++i)
      gets.push_back(one(i));
    auto rows = co_await aorm::gather(std::move(gets));
    shared->done = true;
    co_return rows;
  };
  auto [beat, rows] = aorm::run(aorm::gather(heartbeat(), fetch_all()));
  (void)beat;
  ASSERT_EQ(rows.size(), 200u);
  for (std::size_t i = 0; i < rows.size(); ++i) {
    EXPECT_EQ(rows[i].id, ids_[i]);
    EXPECT_EQ(rows[i].label, "row-" + std::to_string(i));
  }
  EXPECT_GT(shared->ticks, 0);
  EXPECT_GT(shared->most_in_flight_seen_by_a_tick, 0);
}

TEST_F(Concurrency, AMethodsQueryOffTheLoopThread) {
  auto body = [this]() -> aorm::Task<bool> {
    auto loop = std::this_thread::get_id();
    // The sync terminal runs on a worker: the guard does not fire there.
    auto job = [id = ids_.front(), loop] {
      return Counter::objects.get(aorm::Q("id", id)).id != 0 && std::this_thread::get_id() != loop;
    };
    bool off_loop = co_await aorm::sync_to_async(job);
    auto row = co_await Counter::objects.aget(aorm::Q("id", ids_.front()));
    co_return off_loop && row.label == "row-0" && std::this_thread::get_id() == loop;
  };
  EXPECT_TRUE(aorm::run(body()));
}

TEST_F(Concurrency, SyncTerminalOnTheLoopIsRefused) {
  auto body = []() -> aorm::Task<std::string> {
    try {
      (void)Counter::objects.count();
    } catch (const aorm::SynchronousOnlyOperation &e) {
      co_return e.what();
    }
    co_return "";
  };
  std::string message = aorm::run(body());
  EXPECT_NE(message.find("count"), std::string::npos) << message;
}

TEST_F(Concurrency, ConcurrentAupdatesLoseNothing) {
  auto id = ids_.front();
  auto bump = [id]() -> aorm::Task<std::int64_t> {
    std::int64_t changed = 0;
    // Named outside co_await: GCC 12 rejects an init-list inside a co_await expression.
    aorm::Assignments increment{{"n", aorm::F("n") + 1}};
    for (int i = 0; i < 25; ++i)
      changed += co_await Counter::objects.filter(aorm::Q("id", id)).aupdate(increment);
    co_return changed;
  };
  std::vector<aorm::Task<std::int64_t>> writers;
  for (int w = 0; w < 8; ++w)
    writers.push_back(bump());
  auto changed = aorm::run(aorm::gather(std::move(writers)));
  for (auto c : changed)
    EXPECT_EQ(c, 25);
  EXPECT_EQ(Counter::objects.get(aorm::Q("id", id)).n, 8 * 25);
}

} // namespace
