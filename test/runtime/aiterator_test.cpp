// Streaming iteration: iterator(chunk)/aiterator(chunk) run one query for the whole walk and hand
// out its rows `chunk` at a time (aiterator: one worker hop per batch), never the whole result at
// once. Observed through the statement counter and chunks_fetched().
#include "orm_fixture.hpp"

namespace ormtest {
namespace {

using aorm::Q;

class Chunks : public BothDatabases {
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
INSTANTIATE_BOTH(Chunks);

struct Seen {
  std::vector<std::int64_t> views;
  std::vector<std::int64_t> hops_at; // chunks_fetched() when each row arrived
};

aorm::Task<Seen> drain(aorm::AsyncIterator<Post> it) {
  Seen seen;
  while (auto p = co_await it.next()) {
    seen.views.push_back(p->views);
    seen.hops_at.push_back(it.chunks_fetched());
  }
  co_return seen;
}

TEST_P(Chunks, AiteratorStreamsOneQueryInBatches) {
  auto qs = Post::objects.filter(Q("title__startswith", "bulk")).order_by("views");
  Seen seen = aorm::run(drain(qs.aiterator(5)));
  ASSERT_EQ(seen.views.size(), 23u);
  for (std::size_t i = 0; i < seen.views.size(); ++i) {
    EXPECT_EQ(seen.views[i], 100 + static_cast<std::int64_t>(i));
    EXPECT_EQ(seen.hops_at[i], static_cast<std::int64_t>(i / 5 + 1)) << "row " << i;
  }
  EXPECT_EQ(statements(), 1u) << "one SELECT for the whole walk";
}

TEST_P(Chunks, AnExactMultipleNeedsOneEmptyBatchToKnowItIsDone) {
  auto qs =
      Post::objects.filter(Q("title__startswith", "bulk")).order_by("views")[aorm::slice(0, 20)];
  auto it = qs.aiterator(10);
  Seen seen = aorm::run(drain(it));
  EXPECT_EQ(seen.views.size(), 20u);
  EXPECT_EQ(statements(), 1u);
}

TEST_P(Chunks, AiteratorRespectsSlices) {
  Seen seen = aorm::run(
      drain(Post::objects.filter(Q("author", bob.id)).order_by("id")[aorm::slice(2, 9)].aiterator(3)));
  ASSERT_EQ(seen.views.size(), 7u);
  EXPECT_EQ(seen.views.front(), 100);
  EXPECT_EQ(seen.views.back(), 106);
  EXPECT_EQ(seen.hops_at.back(), 3);
}

TEST_P(Chunks, AiteratorStopsEarlyWithoutConvertingTheRest) {
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

TEST_P(Chunks, SyncIteratorStreamsTheSameWay) {
  std::size_t rows = 0;
  for (auto &p : Post::objects.filter(Q("title__startswith", "bulk")).order_by("id").iterator(10)) {
    EXPECT_EQ(p.views, 100 + static_cast<std::int64_t>(rows));
    ++rows;
  }
  EXPECT_EQ(rows, 23u);
  EXPECT_EQ(statements(), 1u);
}

TEST_P(Chunks, AnAbandonedIteratorGivesItsCursorBack) {
  {
    auto range = Post::objects.order_by("id").iterator(3);
    auto it = range.begin();
    ASSERT_FALSE(it == range.end());
    EXPECT_EQ(it->title, "Alpha");
  }
  // The table is writable and readable again at once (no cursor holds it).
  EXPECT_EQ(Post::objects.filter(Q("title", "Alpha")).update({{"views", 11}}), 1);
  EXPECT_EQ(Post::objects.get(Q("title", "Alpha")).views, 11);
}

TEST_P(Chunks, IteratorInsideAtomicSeesTheTransactionsWrites) {
  std::size_t n = aorm::atomic([&] {
    Post::objects.create(make_post("in tx", 1, 1, false, 1, ann));
    std::size_t count = 0;
    for (auto &p : Post::objects.filter(Q("title", "in tx")).iterator(2))
      count += p.title == "in tx";
    return count;
  });
  EXPECT_EQ(n, 1u);
}

TEST_P(Chunks, ValuesListStreamsToo) {
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

TEST_P(Chunks, PrefetchRelatedRunsPerBatch) {
  std::size_t loaded = 0;
  for (auto &p : Post::objects.order_by("id").prefetch_related("author").iterator(10))
    loaded += p.author.is_loaded();
  EXPECT_EQ(loaded, 28u);
  EXPECT_EQ(statements(), 1u + 3u) << "one SELECT, one author IN query per batch of 10";
}

} // namespace
} // namespace ormtest
