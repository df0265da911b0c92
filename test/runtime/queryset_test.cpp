// QuerySet builders against real rows: every lookup, Q combinations, the typed form, foreign-key
// traversal, ordering, slicing, distinct, values/values_list, annotate, and bound parameters.
#include "orm_fixture.hpp"

namespace ormtest {
namespace {

using aorm::F;
using aorm::Q;

class QuerySets : public OrmTest {
protected:
  static std::vector<std::string> ids_of(const aorm::QuerySet<Post> &qs) {
    return titles(qs.order_by("id").list());
  }
  using V = std::vector<std::string>;
};

TEST_F(QuerySets, ExactAndIexact) {
  EXPECT_EQ(ids_of(Post::objects.filter(Q("title", "beta"))), V{"beta"});
  EXPECT_EQ(ids_of(Post::objects.filter(Q("title__exact", "Beta"))), V{});
  EXPECT_EQ(ids_of(Post::objects.filter(Q("title__iexact", "BETA"))), V{"beta"});
}

TEST_F(QuerySets, ContainsIsCaseSensitiveIcontainsIsNot) {
  EXPECT_EQ(ids_of(Post::objects.filter(Q("title__contains", "lph"))), (V{"Alpha", "Alpha2"}));
  EXPECT_EQ(ids_of(Post::objects.filter(Q("title__contains", "ALPH"))), V{});
  EXPECT_EQ(ids_of(Post::objects.filter(Q("title__icontains", "ALPH"))), (V{"Alpha", "Alpha2"}));
}

// The pattern lookups match their operand literally: % _ and \ are not wildcards (PostgreSQL
// compiles them to LIKE/ILIKE with those characters escaped; SQLite to instr/substr).
TEST_F(QuerySets, PatternLookupsTakeWildcardCharactersLiterally) {
  for (const char *title : {"100% pure", "100 pure", "snake_case", "snakeXcase", "back\\slash"})
    Post::objects.create(make_post(title, 1, 1, false, 1, ann));
  EXPECT_EQ(ids_of(Post::objects.filter(Q("title__contains", "0%"))), V{"100% pure"});
  EXPECT_EQ(ids_of(Post::objects.filter(Q("title__icontains", "0% PURE"))), V{"100% pure"});
  EXPECT_EQ(ids_of(Post::objects.filter(Q("title__contains", "e_c"))), V{"snake_case"});
  EXPECT_EQ(ids_of(Post::objects.filter(Q("title__istartswith", "SNAKE_"))), V{"snake_case"});
  EXPECT_EQ(ids_of(Post::objects.filter(Q("title__endswith", "\\slash"))), V{"back\\slash"});
  EXPECT_EQ(ids_of(Post::objects.filter(Q("title__contains", "%"))), V{"100% pure"});
  EXPECT_EQ(ids_of(Post::objects.filter(Q("title__startswith", "_"))), V{});
  EXPECT_EQ(ids_of(Post::objects.filter(Q("title__iendswith", "K\\SLASH"))), V{"back\\slash"});
  // An F() operand is escaped the same way: every title contains itself, wildcards or not.
  EXPECT_EQ(Post::objects.filter(Q("title__contains", F("title"))).count(), 10);
}

// Integer arithmetic stays integer on both backends, as in Django: 25 / 10 is 2, not 2.5.
TEST_F(QuerySets, IntegerDivisionTruncates) {
  auto row = Post::objects.annotate({{"tenths", F("views") / 3}, {"half", F("rating") / 2}})
                 .values("title", "tenths", "half")
                 .filter(Q("title", "beta"))
                 .get();
  EXPECT_EQ(row["tenths"].kind(), aorm::Value::Kind::Integer);
  EXPECT_EQ(row["tenths"].as_int(), 6);
  EXPECT_DOUBLE_EQ(row["half"].as_double(), 1.5);
  EXPECT_EQ(Post::objects.filter(Q("views__gt", F("rating") * 10)).count(), 2) << "delta, Alpha2";
}

TEST_F(QuerySets, StartswithEndswith) {
  EXPECT_EQ(ids_of(Post::objects.filter(Q("title__startswith", "Al"))), (V{"Alpha", "Alpha2"}));
  EXPECT_EQ(ids_of(Post::objects.filter(Q("title__startswith", "al"))), V{});
  EXPECT_EQ(ids_of(Post::objects.filter(Q("title__endswith", "a"))),
            (V{"Alpha", "beta", "Gamma", "delta"}));
  EXPECT_EQ(ids_of(Post::objects.filter(Q("title__endswith", "A"))), V{});
  EXPECT_EQ(ids_of(Post::objects.filter(Q("title__endswith", ""))).size(), 5u);
}

TEST_F(QuerySets, Comparisons) {
  EXPECT_EQ(ids_of(Post::objects.filter(Q("views__gt", 30))), (V{"delta", "Alpha2"}));
  EXPECT_EQ(ids_of(Post::objects.filter(Q("views__gte", 30))), (V{"Gamma", "delta", "Alpha2"}));
  EXPECT_EQ(ids_of(Post::objects.filter(Q("views__lt", 20))), V{"Alpha"});
  EXPECT_EQ(ids_of(Post::objects.filter(Q("views__lte", 20))), (V{"Alpha", "beta"}));
  EXPECT_EQ(ids_of(Post::objects.filter(Q("rating__gt", 4))), (V{"Gamma", "Alpha2"}));
  EXPECT_EQ(ids_of(Post::objects.filter(Q("created__gte", day(4)))), (V{"delta", "Alpha2"}));
}

TEST_F(QuerySets, InAndRange) {
  EXPECT_EQ(ids_of(Post::objects.filter(Q("views__in", {10, 40, 99}))), (V{"Alpha", "delta"}));
  EXPECT_EQ(ids_of(Post::objects.filter(Q("title__in", std::vector<std::string>{"beta", "x"}))),
            V{"beta"});
  EXPECT_EQ(ids_of(Post::objects.filter(Q::list("views__in", {}))), V{});
  EXPECT_EQ(ids_of(Post::objects.filter(Q("views__range", {20, 40}))),
            (V{"beta", "Gamma", "delta"}));
  EXPECT_EQ(ids_of(Post::objects.filter(Q("created__range", {day(2), day(3)}))),
            (V{"beta", "Gamma"}));
}

TEST_F(QuerySets, IsnullAndNoneMeansIsNull) {
  EXPECT_EQ(ids_of(Post::objects.filter(Q("body__isnull", false))), V{"beta"});
  EXPECT_EQ(ids_of(Post::objects.filter(Q("body__isnull", true))).size(), 4u);
  EXPECT_EQ(ids_of(Post::objects.filter(Q("body", nullptr))).size(), 4u);
  EXPECT_EQ(Author::objects.filter(Q("email__isnull", true)).get().name, "Bob");
}

TEST_F(QuerySets, FilterWithALookupAndAValue) {
  EXPECT_EQ(ids_of(Post::objects.filter("views__gte", 40)), (V{"delta", "Alpha2"}));
  EXPECT_EQ(ids_of(Post::objects.filter("author__name", "Bob").filter("published", true)),
            V{"Gamma"});
}

TEST_F(QuerySets, CombinedQ) {
  auto q = (Q("views__lt", 15) | Q("views__gt", 45)) & ~Q("title__endswith", "2");
  EXPECT_EQ(ids_of(Post::objects.filter(q)), V{"Alpha"});
  EXPECT_EQ(ids_of(Post::objects.exclude(Q("published", true))), (V{"beta", "delta"}));
  EXPECT_EQ(ids_of(Post::objects.filter(Q("published", true), Q("views__gt", 10))),
            (V{"Gamma", "Alpha2"}));
  EXPECT_EQ(ids_of(Post::objects.filter(Q("published", true)).exclude(Q("author__name", "Ann"))),
            V{"Gamma"});
  EXPECT_EQ(ids_of(Post::objects.filter(Q())).size(), 5u) << "an empty Q matches all";
  EXPECT_EQ(ids_of(Post::objects.filter(Q() | Q("views", 10))), V{"Alpha"})
      << "and is the identity of |, as in Django";
}

TEST_F(QuerySets, TypedFiltersOnMemberPointers) {
  using aorm::field;
  EXPECT_EQ(ids_of(Post::objects.filter(field(&Post::views) >= 30)),
            (V{"Gamma", "delta", "Alpha2"}));
  EXPECT_EQ(ids_of(Post::objects.filter(field(&Post::title) == "beta")), V{"beta"});
  EXPECT_EQ(ids_of(Post::objects.filter(field(&Post::title) != "beta")).size(), 4u);
  EXPECT_EQ(ids_of(Post::objects.filter(field(&Post::title).icontains("ALPHA") &
                                        (field(&Post::rating) < 4.2))),
            V{"Alpha"});
  EXPECT_EQ(ids_of(Post::objects.filter(field(&Post::views).in({20, 30}))), (V{"beta", "Gamma"}));
  EXPECT_EQ(ids_of(Post::objects.filter(field(&Post::views).range(35, 60))),
            (V{"delta", "Alpha2"}));
  EXPECT_EQ(ids_of(Post::objects.filter(field(&Post::body).isnull(false))), V{"beta"});
  EXPECT_EQ(ids_of(Post::objects.filter(field(&Post::author) == bob.id)), (V{"Gamma", "delta"}));
  EXPECT_EQ(ids_of(Post::objects.filter(field(&Post::published) == true)).size(), 3u);
  EXPECT_EQ(field(&Post::views).name(), "views");
}

TEST_F(QuerySets, ForeignKeyTraversal) {
  EXPECT_EQ(ids_of(Post::objects.filter(Q("author__name", "Bob"))), (V{"Gamma", "delta"}));
  EXPECT_EQ(ids_of(Post::objects.filter(Q("author__email__isnull", false))),
            (V{"Alpha", "beta", "Alpha2"}));
  EXPECT_EQ(ids_of(Post::objects.filter(Q("author", ann.id))).size(), 3u);
  EXPECT_EQ(ids_of(Post::objects.filter(Q("author__in", {bob.id}))), (V{"Gamma", "delta"}));
  EXPECT_EQ(ids_of(Post::objects.filter(Q("author__id", bob.id))), (V{"Gamma", "delta"}));
  auto by_author = Post::objects.order_by("author__name", "-views").list();
  EXPECT_EQ(titles(by_author), (V{"Alpha2", "beta", "Alpha", "delta", "Gamma"}));
}

TEST_F(QuerySets, OrderingReverseAndSlicing) {
  auto qs = Post::objects.order_by("-rating");
  EXPECT_EQ(titles(qs.list()), (V{"Gamma", "Alpha2", "Alpha", "beta", "delta"}));
  EXPECT_EQ(titles(qs.reverse().list()), (V{"delta", "beta", "Alpha", "Alpha2", "Gamma"}));
  EXPECT_EQ(titles(qs[aorm::slice(1, 3)].list()), (V{"Alpha2", "Alpha"}));
  EXPECT_EQ(titles(qs[aorm::slice(3)].list()), (V{"beta", "delta"}));
  EXPECT_EQ(titles(qs[aorm::slice(1, 4)][aorm::slice(1, 10)].list()), (V{"Alpha", "beta"}));
  EXPECT_EQ(qs[aorm::slice(1, 4)][aorm::slice(1, 10)].count(), 2);
  EXPECT_EQ(titles(Post::objects.reverse().list()).front(), "Alpha2") << "reverse() orders by -id";
}

TEST_F(QuerySets, DistinctValuesAndValuesList) {
  auto names = Post::objects.values("author__name").distinct().order_by("author__name").list();
  ASSERT_EQ(names.size(), 2u);
  EXPECT_EQ(names[0]["author__name"].as_string(), "Ann");
  EXPECT_EQ(names[1]["author__name"].as_string(), "Bob");

  auto rows = Post::objects.filter(Q("title", "beta")).values().list();
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0]["title"].as_string(), "beta");
  EXPECT_FALSE(rows[0]["published"].as_bool());
  EXPECT_EQ(rows[0]["created"].as_datetime(), day(2));
  EXPECT_EQ(rows[0]["author"].as_int(), ann.id);
  EXPECT_EQ(rows[0]["body"].as_string(), "b");
  EXPECT_EQ(rows[0].columns().size(), 8u);

  auto tuples = Post::objects.order_by("id").values_list("title", "views").list();
  ASSERT_EQ(tuples.size(), 5u);
  EXPECT_EQ(tuples[0][0].as_string(), "Alpha");
  EXPECT_EQ(tuples[4][1].as_int(), 50);
  EXPECT_EQ(Post::objects.values_list("views").filter(Q("views__gt", 35)).count(), 2);
}

TEST_F(QuerySets, AnnotateWithFExpressions) {
  auto qs = Post::objects.annotate({{"score", F("views") * 2 + F("rating")}}).order_by("-score");
  auto top = qs.first();
  ASSERT_TRUE(top.has_value());
  EXPECT_EQ(top->title, "Alpha2");
  EXPECT_DOUBLE_EQ(top->annotation("score").as_double(), 104.5);
  EXPECT_EQ(titles(qs.filter(Q("score__lt", 30)).list()), V{"Alpha"});
  auto row = Post::objects.annotate({{"double_views", F("views") * 2}})
                 .values("title", "double_views")
                 .filter(Q("title", "beta"))
                 .get();
  EXPECT_EQ(row["double_views"].as_int(), 40);
}

TEST_F(QuerySets, AnnotateAggregatesGroupByValues) {
  auto rows = Post::objects.values("author__name")
                  .annotate({{"n", aorm::Count("id")}, {"total", aorm::Sum("views")}})
                  .order_by("author__name")
                  .list();
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0]["author__name"].as_string(), "Ann");
  EXPECT_EQ(rows[0]["n"].as_int(), 3);
  EXPECT_EQ(rows[0]["total"].as_int(), 80);
  EXPECT_EQ(rows[1]["total"].as_int(), 70);
  auto busy = Post::objects.values("author")
                  .annotate({{"n", aorm::Count("id")}})
                  .filter(Q("n__gte", 3))
                  .list();
  ASSERT_EQ(busy.size(), 1u);
  EXPECT_EQ(busy[0]["author"].as_int(), ann.id);
}

TEST_F(QuerySets, ValuesAreBoundParametersNotSql) {
  std::string evil = "x' OR '1'='1";
  EXPECT_EQ(Post::objects.filter(Q("title", evil)).count(), 0);
  auto p = Post::objects.create(make_post(evil + "\"; DROP TABLE post; --", 1, 1, false, 1, ann));
  EXPECT_EQ(Post::objects.get(Q("id", p.id)).title, evil + "\"; DROP TABLE post; --");
  EXPECT_EQ(Post::objects.filter(Q("title__contains", "'1'='1")).count(), 1);
  EXPECT_EQ(Post::objects.filter(Q("title__contains", "%")).count(), 0) << "no LIKE wildcards";
}

TEST_F(QuerySets, BuildersLeaveTheOriginalUntouched) {
  auto base = Post::objects.filter(Q("published", true));
  auto narrower = base.filter(Q("views__gt", 20));
  auto ordered = base.order_by("-views");
  EXPECT_EQ(base.count(), 3);
  EXPECT_EQ(narrower.count(), 2);
  EXPECT_EQ(ordered.first()->title, "Alpha2");
  EXPECT_EQ(base.first()->title, "Alpha");
}

} // namespace
} // namespace ormtest
