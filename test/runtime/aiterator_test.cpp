// Chunked iteration: aiterator(chunk) fetches one chunk per worker hop and never the whole result;
// the chunk count is observed through the statement counter. iterator(chunk) does the same sync.
#include "orm_fixture.hpp"

namespace ormtest {
namespace {

using aorm::Q;

class Chunks : public OrmTest {
protected:
  void SetUp() override {
    OrmTest::SetUp();
    std::vector<Post> many;
    for (int i = 0; i < 23; ++i)
      many.push_back(make_post("bulk" + std::to_string(i), 100 + i, 1, true, 7, bob));
    Post::objects.bulk_create(many);
    aorm::reset_db_stats();
  }
};

struct Seen {
  std::vector<std::int64_t> views;
  std::vector<std::uint64_t> statements_at; // the counter when each row arrived
};

aorm::Task<Seen> drain(aorm::AsyncIterator<Post> it) {
  Seen seen;
  while (auto p = co_await it.next()) {
    seen.views.push_back(p->views);
    seen.statements_at.push_back(aorm::db_stats().statements);
  }
  co_return seen;
}

TEST_F(Chunks, AiteratorFetchesOneChunkPerHop) {
  auto qs = Post::objects.filter(Q("title__startswith", "bulk")).order_by("views");
  Seen seen = aorm::run(drain(qs.aiterator(5)));
  ASSERT_EQ(seen.views.size(), 23u);
  for (std::size_t i = 0; i < seen.views.size(); ++i) {
    EXPECT_EQ(seen.views[i], 100 + static_cast<std::int64_t>(i));
    // Row i arrives after chunk i/5 was fetched, and before the next one.
    EXPECT_EQ(seen.statements_at[i], i / 5 + 1) << "row " << i;
  }
  EXPECT_EQ(statements(), 5u) << "23 rows in chunks of 5: 5 queries, the last one short";
}

TEST_F(Chunks, AnExactMultipleNeedsOneEmptyChunkToKnowItIsDone) {
  auto qs =
      Post::objects.filter(Q("title__startswith", "bulk")).order_by("views")[aorm::slice(0, 20)];
  Seen seen = aorm::run(drain(qs.aiterator(10)));
  EXPECT_EQ(seen.views.size(), 20u);
  EXPECT_EQ(statements(), 3u);
}

TEST_F(Chunks, AiteratorRespectsSlicesAndDefaultsToIdOrder) {
  Seen seen =
      aorm::run(drain(Post::objects.filter(Q("author", bob.id))[aorm::slice(2, 9)].aiterator(3)));
  ASSERT_EQ(seen.views.size(), 7u);
  EXPECT_EQ(seen.views.front(), 100);
  EXPECT_EQ(seen.views.back(), 106);
  EXPECT_EQ(statements(), 3u);
}

TEST_F(Chunks, AiteratorStopsEarlyWithoutFetchingTheRest) {
  auto it = Post::objects.order_by("id").aiterator(4);
  auto first_two = aorm::run([&]() -> aorm::Task<std::vector<std::string>> {
    std::vector<std::string> out;
    for (int i = 0; i < 2; ++i)
      out.push_back((co_await it.next())->title);
    co_return out;
  }());
  EXPECT_EQ(first_two, (std::vector<std::string>{"Alpha", "beta"}));
  EXPECT_EQ(it.chunks_fetched(), 1);
  EXPECT_EQ(statements(), 1u);
}

TEST_F(Chunks, SyncIteratorChunksTheSameWay) {
  std::vector<std::uint64_t> at;
  std::size_t rows = 0;
  for (auto &p : Post::objects.filter(Q("title__startswith", "bulk")).iterator(10)) {
    EXPECT_EQ(p.views, 100 + static_cast<std::int64_t>(rows));
    ++rows;
    at.push_back(statements());
  }
  EXPECT_EQ(rows, 23u);
  EXPECT_EQ(at[9], 1u);
  EXPECT_EQ(at[10], 2u);
  EXPECT_EQ(statements(), 3u);
}

TEST_F(Chunks, ValuesListIteratesInChunksToo) {
  auto it = Post::objects.filter(Q("views__gte", 110)).values_list("views").aiterator(6);
  auto total = aorm::run([&]() -> aorm::Task<std::int64_t> {
    std::int64_t sum = 0;
    while (auto row = co_await it.next())
      sum += (*row)[0].as_int();
    co_return sum;
  }());
  EXPECT_EQ(total, (110 + 122) * 13 / 2);
  EXPECT_EQ(it.chunks_fetched(), 3);
}

} // namespace
} // namespace ormtest
