// aatomic under load: eight coroutines each make 1000 increments, each a read-modify-write in its
// own aatomic block (a lost update would show as a final count below 8000); and a rolled-back
// block with a thousand writes in it leaves none of them.
#include "fault_models.hpp"

#include <gtest/gtest.h>

#include <stdexcept>
#include <vector>

namespace faults {
namespace {

constexpr int kWriters = 8;
constexpr int kIncrements = 1000;

// Read, then write what was read plus one: only a transaction keeps two writers from both
// reading the same n. F("n") + 1 would be safe on its own, so the read is what is tested here.
aorm::Task<void> writer(std::int64_t id) {
  for (int i = 0; i < kIncrements; ++i) {
    auto body = [id]() -> aorm::Task<void> {
      Counter c = co_await Counter::objects.aget(aorm::Q("id", id));
      aorm::Assignments next{{"n", c.n + 1}};
      co_await Counter::objects.filter(aorm::Q("id", id)).aupdate(next);
    };
    co_await aorm::aatomic(body);
  }
}

// The same with aupdate(F("n") + 1), the block around each one.
aorm::Task<void> f_writer(std::int64_t id) {
  for (int i = 0; i < kIncrements; ++i) {
    auto body = [id]() -> aorm::Task<void> {
      aorm::Assignments bump{{"n", aorm::F("n") + 1}};
      auto changed = co_await Counter::objects.filter(aorm::Q("id", id)).aupdate(bump);
      if (changed != 1)
        throw aorm::Error("an increment changed " + std::to_string(changed) + " rows");
    };
    co_await aorm::aatomic(body);
  }
}

aorm::Task<void> all_writers(std::int64_t id, bool read_modify_write) {
  std::vector<aorm::Task<void>> writers;
  for (int w = 0; w < kWriters; ++w)
    writers.push_back(read_modify_write ? writer(id) : f_writer(id));
  co_await aorm::gather(std::move(writers));
}

class AAtomicWriters : public ::testing::TestWithParam<bool> {};

TEST_P(AAtomicWriters, EightWritersInBlocksLoseNoIncrement) {
  ScratchDb db("aatomic-writers");
  aorm::setup(db.url());
  aorm::migrate<Counter>();
  Counter c;
  c.name = "hits";
  c = Counter::objects.create(c);

  aorm::run(all_writers(c.id, GetParam()));

  EXPECT_EQ(Counter::objects.get(aorm::Q("id", c.id)).n, kWriters * kIncrements);
}
INSTANTIATE_TEST_SUITE_P(Increments, AAtomicWriters, ::testing::Values(true, false),
                         [](const auto &info) { return info.param ? "ReadModifyWrite" : "FPlusOne"; });

TEST(AAtomicRollback, AThousandWritesThenAnErrorLeaveNothing) {
  ScratchDb db("aatomic-rollback");
  aorm::setup(db.url());
  aorm::migrate<Entry>();
  auto body = []() -> aorm::Task<void> {
    for (int i = 0; i < 1000; ++i) {
      Entry e;
      e.batch = 1;
      e.text = "row " + std::to_string(i);
      co_await Entry::objects.acreate(e);
    }
    aorm::Assignments relabel{{"text", "changed"}};
    co_await Entry::objects.aupdate(relabel);
    throw std::runtime_error("fail after the writes");
  };
  auto run_block = [&]() -> aorm::Task<void> { co_await aorm::aatomic(body); };
  EXPECT_THROW(aorm::run(run_block()), std::runtime_error);
  EXPECT_EQ(Entry::objects.count(), 0);
  // The connection is usable afterwards, and a committed block keeps its rows.
  auto ok = []() -> aorm::Task<void> {
    Entry e;
    e.batch = 2;
    e.text = "kept";
    co_await Entry::objects.acreate(e);
  };
  auto run_ok = [&]() -> aorm::Task<void> { co_await aorm::aatomic(ok); };
  aorm::run(run_ok());
  EXPECT_EQ(Entry::objects.count(), 1);
}

} // namespace
} // namespace faults
