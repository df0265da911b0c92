// Laziness: building a QuerySet runs no SQL; a terminal runs its statements; a QuerySet's own
// result cache makes re-iteration free. Counted with aorm::db_stats().statements.
#include "orm_fixture.hpp"

namespace ormtest {
namespace {

using aorm::F;
using aorm::Q;

class Laziness : public OrmTest {};

TEST_F(Laziness, BuildersRunNoStatements) {
  auto before = statements();
  auto qs = Post::objects.filter(Q("views__gte", 10))
                .exclude(Q("title__startswith", "x"))
                .order_by("-views", "title")
                .select_related("author")
                .prefetch_related("author")
                .annotate({{"double_views", F("views") * 2}})
                .distinct()
                .reverse()[aorm::slice(0, 3)];
  auto rows = Post::objects.values("title").filter(Q("published", true));
  auto tuples = Post::objects.values_list("id");
  auto empty = Post::objects.none();
  auto typed = Post::objects.filter(aorm::field(&Post::views) >= 10);
  EXPECT_EQ(statements(), before);
  (void)rows;
  (void)tuples;
  (void)empty;
  (void)typed;

  EXPECT_EQ(qs.count(), 3);
  EXPECT_EQ(statements(), before + 1);
}

TEST_F(Laziness, ATerminalRunsWhenAwaitedNotWhenCreated) {
  auto before = statements();
  auto task = Post::objects.acount();
  EXPECT_EQ(statements(), before) << "an a-method's Task must not run until awaited";
  EXPECT_EQ(aorm::run(std::move(task)), 5);
  EXPECT_EQ(statements(), before + 1);
}

TEST_F(Laziness, IterationFillsTheResultCacheOnce) {
  auto qs = Post::objects.order_by("views");
  auto before = statements();
  std::vector<std::string> first, second;
  for (auto &p : qs)
    first.push_back(p.title);
  for (auto &p : qs)
    second.push_back(p.title);
  EXPECT_EQ(first, second);
  EXPECT_EQ(first.front(), "Alpha");
  EXPECT_EQ(statements(), before + 1);
  EXPECT_EQ(qs[1].title, "beta");
  EXPECT_EQ(qs.size(), 5u);
  EXPECT_TRUE(static_cast<bool>(qs));
  EXPECT_EQ(statements(), before + 1) << "size, [i] and bool reuse the cache";
}

TEST_F(Laziness, SizeAndBoolOnAFreshQuerySetQueryWithoutMaterializing) {
  auto before = statements();
  EXPECT_EQ(Post::objects.filter(Q("published", true)).size(), 3u);
  EXPECT_FALSE(static_cast<bool>(Post::objects.filter(Q("views__gt", 1000)).all()));
  EXPECT_EQ(statements(), before + 2);
}

TEST_F(Laziness, NoneRunsNothingEvenForTerminals) {
  auto before = statements();
  auto none = Post::objects.none();
  EXPECT_EQ(none.count(), 0);
  EXPECT_FALSE(none.exists());
  EXPECT_TRUE(none.list().empty());
  EXPECT_EQ(none.update({{"views", 0}}), 0);
  EXPECT_EQ(none.delete_().total, 0);
  EXPECT_EQ(statements(), before);
  EXPECT_EQ(Post::objects.count(), 5);
}

TEST_F(Laziness, SelectRelatedFillsForeignKeysInTheSameQuery) {
  auto before = statements();
  auto list = Post::objects.select_related("author").order_by("id").list();
  ASSERT_EQ(list.size(), 5u);
  for (auto &p : list) {
    EXPECT_TRUE(p.author.is_loaded());
    EXPECT_FALSE(p.author.get().name.empty());
  }
  EXPECT_EQ(statements(), before + 1);
  EXPECT_EQ(list[2].author.get().name, "Bob");
}

TEST_F(Laziness, WithoutSelectRelatedEachForeignKeyGetQueries) {
  auto list = Post::objects.order_by("id").list();
  auto before = statements();
  EXPECT_FALSE(list[0].author.is_loaded());
  EXPECT_EQ(list[0].author.get().name, "Ann");
  EXPECT_EQ(list[0].author.get().name, "Ann"); // cached after the first get
  EXPECT_EQ(statements(), before + 1);
}

TEST_F(Laziness, PrefetchRelatedUsesOneInQueryForAllObjects) {
  auto before = statements();
  auto list = Post::objects.prefetch_related("author").list();
  EXPECT_EQ(statements(), before + 2);
  for (auto &p : list)
    EXPECT_TRUE(p.author.is_loaded());
  std::vector<Post> plain = Post::objects.list();
  before = statements();
  aorm::prefetch_related_objects(plain, "author");
  EXPECT_EQ(statements(), before + 1);
  EXPECT_EQ(plain[3].author.get().name, "Bob");
  std::vector<Post> async_plain = Post::objects.list();
  aorm::run(aorm::aprefetch_related_objects(async_plain, "author"));
  for (auto &p : async_plain)
    EXPECT_TRUE(p.author.is_loaded());
}

TEST_F(Laziness, TheSameQueryShapeReusesItsPreparedStatement) {
  auto prepared = aorm::db_stats().prepared;
  EXPECT_EQ(Post::objects.filter(Q("views__gt", 10)).count(), 4);
  EXPECT_EQ(Post::objects.filter(Q("views__gt", 30)).count(), 2);
  EXPECT_EQ(Post::objects.filter(Q("views__gt", 99)).count(), 0);
  EXPECT_EQ(aorm::db_stats().prepared, prepared + 1) << "values are bindings, not SQL text";
  EXPECT_EQ(Post::objects.filter(Q("views__lt", 30)).count(), 2);
  EXPECT_EQ(aorm::db_stats().prepared, prepared + 2) << "a different shape is a new statement";
}

} // namespace
} // namespace ormtest
