// aorm::atomic: an exception thrown part-way through leaves none of the block's writes behind, and
// a failing nested block (a savepoint) takes only its own writes with it.
#include "fault_models.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

namespace faults {
namespace {

Entry entry(std::int64_t batch, const std::string &text) {
  Entry e;
  e.batch = batch;
  e.text = text;
  return e;
}

class AtomicRollback : public ::testing::Test {
protected:
  void SetUp() override {
    aorm::setup(db_.run_url());
    aorm::migrate<Counter, Entry>();
  }
  ScratchDb db_{"atomic"};
};

TEST_F(AtomicRollback, ExceptionMidBlockLeavesNoPartialWrite) {
  Entry::objects.create(entry(0, "before"));
  EXPECT_THROW(aorm::atomic([] {
                 Entry::objects.create(entry(1, "a"));
                 Entry::objects.create(entry(1, "b"));
                 Entry::objects.filter(aorm::Q("batch", 0)).update({{"text", "changed"}});
                 throw std::runtime_error("boom after three writes");
               }),
               std::runtime_error);

  EXPECT_EQ(Entry::objects.filter(aorm::Q("batch", 1)).count(), 0);
  EXPECT_EQ(Entry::objects.get(aorm::Q("batch", 0)).text, "before");
}

TEST_F(AtomicRollback, BulkCreateIsAllOrNothingInsideAtomic) {
  std::vector<Entry> many;
  for (int i = 0; i < 200; ++i)
    many.push_back(entry(2, "row" + std::to_string(i)));
  EXPECT_THROW(aorm::atomic([&] {
                 Entry::objects.bulk_create(many);
                 throw aorm::Error("abandon the batch");
               }),
               aorm::Error);
  EXPECT_EQ(Entry::objects.filter(aorm::Q("batch", 2)).count(), 0);
}

TEST_F(AtomicRollback, FailedNestedBlockRollsBackOnlyItsSavepoint) {
  aorm::atomic([] {
    Entry::objects.create(entry(3, "outer"));
    try {
      aorm::atomic([] {
        Entry::objects.create(entry(4, "inner"));
        throw std::logic_error("inner fails");
      });
    } catch (const std::logic_error &) {
    }
    Entry::objects.create(entry(3, "outer again"));
  });
  EXPECT_EQ(Entry::objects.filter(aorm::Q("batch", 3)).count(), 2);
  EXPECT_EQ(Entry::objects.filter(aorm::Q("batch", 4)).count(), 0);
}

TEST_F(AtomicRollback, ConnectionIsUsableAfterRollback) {
  EXPECT_THROW(aorm::atomic([] {
                 Entry::objects.create(entry(5, "x"));
                 throw std::runtime_error("boom");
               }),
               std::runtime_error);
  // A transaction left open would make this write part of a dead transaction.
  Entry::objects.create(entry(6, "after"));
  aorm::close();
  aorm::setup(db_.run_url());
  EXPECT_EQ(Entry::objects.filter(aorm::Q("batch", 6)).count(), 1);
  EXPECT_EQ(Entry::objects.filter(aorm::Q("batch", 5)).count(), 0);
}

} // namespace
} // namespace faults
