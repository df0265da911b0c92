// select_for_update(): FOR UPDATE on PostgreSQL, so a read-modify-write in a transaction waits
// for another's to commit instead of overwriting it; refused outside a transaction there (as in
// Django); no effect on SQLite, whose write transaction already holds the one write lock.
#include "expect_error.hpp"
#include "orm_fixture.hpp"

#include <latch>
#include <thread>

namespace ormtest {
namespace {

using aorm::Q;

class SelectForUpdate : public OrmTest {
protected:
  // Two threads each add one to Gamma's views by reading then writing in a transaction; both
  // have read before either writes when `lock` is off (the latch), so one increment is lost.
  std::int64_t two_increments(bool lock) {
    std::latch both_read(2);
    auto add_one = [&] {
      aorm::atomic([&] {
        auto qs = Post::objects.filter(Q("title", "Gamma"));
        Post p = lock ? qs.select_for_update().get() : qs.get();
        if (!lock)
          both_read.arrive_and_wait();
        std::this_thread::sleep_for(std::chrono::milliseconds(50)); // the other thread reads now
        Post::objects.filter(Q("id", p.id)).update({{"views", p.views + 1}});
      });
    };
    std::thread a(add_one), b(add_one);
    a.join();
    b.join();
    return Post::objects.get(Q("title", "Gamma")).views;
  }
};

TEST_F(SelectForUpdate, LocksTheRowsReadUntilTheTransactionEnds) {
  EXPECT_EQ(two_increments(true), 32) << "30 + both increments";
  // Near miss, PostgreSQL only: without the lock, READ COMMITTED lets both read 32 and one write
  // is lost. (On SQLite the second BEGIN IMMEDIATE waits for the first commit, so both threads
  // can never have read at once: the latch would wait forever.)
  if (postgres()) {
    EXPECT_EQ(two_increments(false), 33);
  }
}

TEST_F(SelectForUpdate, OutsideATransaction) {
  auto qs = Post::objects.filter(Q("published", true)).select_for_update();
  if (postgres()) {
    EXPECT_HAS(message_of<aorm::Error>([&] { (void)qs.list(); }), "outside a transaction");
  } else {
    EXPECT_EQ(qs.count(), 3) << "no effect on SQLite";
  }
  // Inside one it reads the same rows, also through select_related.
  aorm::atomic([&] {
    EXPECT_EQ(titles(qs.order_by("id").list()),
              (std::vector<std::string>{"Alpha", "Gamma", "Alpha2"}));
    auto p = qs.select_related("author").order_by("id").first();
    ASSERT_TRUE(p.has_value());
    EXPECT_EQ(p->author.get().name, "Ann");
  });
}

} // namespace
} // namespace ormtest
