// aorm::atomic: commit on return, rollback on exception (nothing half-written), savepoints when
// nested; multi-row writes are all-or-nothing on their own.
#include "orm_fixture.hpp"

namespace ormtest {
namespace {

using aorm::Q;

class Atomic : public OrmTest {};

TEST_F(Atomic, CommitsWhenTheFunctionReturns) {
  int n = aorm::atomic([&] {
    Post::objects.create(make_post("in tx", 1, 1, false, 1, ann));
    return 42;
  });
  EXPECT_EQ(n, 42);
  EXPECT_EQ(Post::objects.count(), 6);
}

TEST_F(Atomic, RollsBackEverythingOnException) {
  auto rollbacks = aorm::db_stats().rollbacks;
  EXPECT_THROW(aorm::atomic([&] {
                 Post::objects.create(make_post("lost", 1, 1, false, 1, ann));
                 Post::objects.filter(Q("title", "Alpha")).update({{"views", 0}});
                 Author::objects.filter(Q("name", "Bob")).delete_();
                 throw std::runtime_error("boom");
               }),
               std::runtime_error);
  EXPECT_EQ(Post::objects.count(), 5);
  EXPECT_EQ(Post::objects.get(Q("title", "Alpha")).views, 10);
  EXPECT_EQ(Author::objects.count(), 2);
  EXPECT_EQ(aorm::db_stats().rollbacks, rollbacks + 1);
}

TEST_F(Atomic, NestedBlocksAreSavepoints) {
  aorm::atomic([&] {
    Post::objects.create(make_post("outer", 1, 1, false, 1, ann));
    try {
      aorm::atomic([&] {
        Post::objects.create(make_post("inner", 1, 1, false, 1, ann));
        throw aorm::Error("inner fails");
      });
    } catch (const aorm::Error &) {
    }
  });
  EXPECT_TRUE(Post::objects.filter(Q("title", "outer")).exists());
  EXPECT_FALSE(Post::objects.filter(Q("title", "inner")).exists());
}

TEST_F(Atomic, ADatabaseErrorInsideRollsBack) {
  EXPECT_THROW(
      aorm::atomic([&] {
        Post::objects.create(make_post("first", 1, 1, false, 1, ann));
        Post::objects.create(make_post("bad fk", 1, 1, false, 1, Author{{}, 777, "x", {}}));
      }),
      aorm::DatabaseError);
  EXPECT_FALSE(Post::objects.filter(Q("title", "first")).exists());
}

TEST_F(Atomic, BulkCreateIsAllOrNothing) {
  std::vector<Post> batch = {make_post("ok1", 1, 1, false, 1, ann),
                             make_post("bad", 1, 1, false, 1, Author{{}, 999, "x", {}}),
                             make_post("ok2", 1, 1, false, 1, ann)};
  EXPECT_THROW(Post::objects.bulk_create(batch), aorm::DatabaseError);
  EXPECT_EQ(Post::objects.count(), 5);
  EXPECT_THROW(aorm::run(Post::objects.abulk_create(batch)), aorm::DatabaseError);
  EXPECT_EQ(Post::objects.count(), 5);
}

TEST_F(Atomic, GetOrCreateDoesNotCreateTwice) {
  auto [a, created_a] = Post::objects.get_or_create(Q("title", "once"));
  auto [b, created_b] = Post::objects.get_or_create(Q("title", "once"));
  EXPECT_TRUE(created_a);
  EXPECT_FALSE(created_b);
  EXPECT_EQ(a.id, b.id);
  EXPECT_EQ(Post::objects.filter(Q("title", "once")).count(), 1);
}

} // namespace
} // namespace ormtest
