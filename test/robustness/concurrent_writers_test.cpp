// Eight coroutines on one loop each await 1000 single-row increments; the worker pool runs them on
// several connections at once, so a lost update would show as a final count below 8000.
#include "fault_models.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace faults {
namespace {

constexpr int kWriters = 8;
constexpr int kIncrements = 1000;

aorm::Task<void> writer(std::int64_t id) {
  for (int i = 0; i < kIncrements; ++i) {
    aorm::Assignments bump{{"n", aorm::F("n") + 1}};
    auto changed = co_await Counter::objects.filter(aorm::Q("id", id)).aupdate(bump);
    if (changed != 1)
      throw aorm::Error("increment " + std::to_string(i) + " changed " + std::to_string(changed) +
                        " rows");
  }
}

aorm::Task<void> all_writers(std::int64_t id) {
  std::vector<aorm::Task<void>> writers;
  for (int w = 0; w < kWriters; ++w)
    writers.push_back(writer(id));
  co_await aorm::gather(std::move(writers));
}

TEST(ConcurrentWriters, EightAsyncWritersLoseNoIncrement) {
  ScratchDb db("writers");
  aorm::setup(db.run_url());
  aorm::migrate<Counter>();
  Counter c;
  c.name = "hits";
  c = Counter::objects.create(c);

  aorm::run(all_writers(c.id));

  EXPECT_EQ(Counter::objects.get(aorm::Q("id", c.id)).n, kWriters * kIncrements);
}

} // namespace
} // namespace faults
