// Every terminal in both forms against a real SQLite file: the a-twin (driven by aorm::run) gives
// the same result as the sync call. Writes run twice on equal fresh data and compare the tables.
#include "orm_fixture.hpp"

namespace ormtest {
namespace {

using aorm::F;
using aorm::Q;

class Terminals : public OrmTest {
protected:
  // The whole post table, for comparing the effect of a sync write with its async twin.
  static std::vector<std::tuple<std::int64_t, std::string, std::int64_t, double>> table() {
    std::vector<std::tuple<std::int64_t, std::string, std::int64_t, double>> out;
    for (auto &p : Post::objects.order_by("id").list())
      out.emplace_back(p.id, p.title, p.views, p.rating);
    return out;
  }
};

TEST_F(Terminals, GetBothForms) {
  auto s = Post::objects.get(Q("title", "Gamma"));
  auto a = aorm::run(Post::objects.aget(Q("title", "Gamma")));
  EXPECT_EQ(s.id, a.id);
  EXPECT_EQ(s.views, 30);
  EXPECT_EQ(a.rating, 5.0);
  EXPECT_EQ(a.author.id(), bob.id);
  EXPECT_EQ(Post::objects.filter(Q("views__gt", 45)).get().title, "Alpha2");
}

TEST_F(Terminals, CountBothForms) {
  auto qs = Post::objects.filter(Q("published", true));
  EXPECT_EQ(qs.count(), 3);
  EXPECT_EQ(aorm::run(qs.acount()), 3);
  EXPECT_EQ(aorm::run(Post::objects.acount()), Post::objects.count());
}

TEST_F(Terminals, FirstAndLastBothForms) {
  auto qs = Post::objects.order_by("views");
  EXPECT_EQ(qs.first()->title, "Alpha");
  EXPECT_EQ(aorm::run(qs.afirst())->title, "Alpha");
  EXPECT_EQ(qs.last()->title, "Alpha2");
  EXPECT_EQ(aorm::run(qs.alast())->title, "Alpha2");
  // Unordered: by id.
  EXPECT_EQ(Post::objects.first()->id, posts.front().id);
  EXPECT_EQ(aorm::run(Post::objects.alast())->id, posts.back().id);
  auto none = Post::objects.filter(Q("views__gt", 999));
  EXPECT_FALSE(none.first().has_value());
  EXPECT_FALSE(aorm::run(none.alast()).has_value());
}

TEST_F(Terminals, ExistsBothForms) {
  EXPECT_TRUE(Post::objects.filter(Q("title", "beta")).exists());
  EXPECT_TRUE(aorm::run(Post::objects.filter(Q("title", "beta")).aexists()));
  EXPECT_FALSE(Post::objects.filter(Q("title", "BETA")).exists());
  EXPECT_FALSE(aorm::run(Post::objects.filter(Q("title", "BETA")).aexists()));
}

TEST_F(Terminals, LatestAndEarliestBothForms) {
  EXPECT_EQ(Post::objects.latest("created").title, "Alpha2");
  EXPECT_EQ(aorm::run(Post::objects.alatest("created")).title, "Alpha2");
  EXPECT_EQ(Post::objects.earliest("views").title, "Alpha");
  EXPECT_EQ(aorm::run(Post::objects.filter(Q("author", bob.id)).aearliest("created")).title,
            "Gamma");
  EXPECT_THROW(Post::objects.filter(Q("views__gt", 999)).latest("created"), aorm::DoesNotExist);
  EXPECT_THROW(aorm::run(Post::objects.filter(Q("views__gt", 999)).aearliest("created")),
               aorm::DoesNotExist);
}

TEST_F(Terminals, ContainsBothForms) {
  auto published = Post::objects.filter(Q("published", true));
  EXPECT_TRUE(published.contains(posts[0]));
  EXPECT_FALSE(published.contains(posts[1]));
  EXPECT_TRUE(aorm::run(published.acontains(posts[2])));
  EXPECT_FALSE(aorm::run(published.acontains(posts[3])));
  // Membership respects the slice too.
  EXPECT_FALSE(Post::objects.order_by("views")[aorm::slice(0, 2)].contains(posts[4]));
  EXPECT_TRUE(Post::objects.order_by("-views")[aorm::slice(0, 2)].contains(posts[4]));
}

TEST_F(Terminals, ExplainBothForms) {
  auto qs = Post::objects.filter(Q("author__name", "Ann"));
  auto s = qs.explain();
  auto a = aorm::run(qs.aexplain());
  EXPECT_EQ(s, a);
  EXPECT_NE(s.find("post"), std::string::npos) << s;
  EXPECT_NE(s.find("author"), std::string::npos) << s;
}

TEST_F(Terminals, CreateBothForms) {
  auto s = Post::objects.create(make_post("sync", 1, 1.0, false, 6, ann));
  auto a = aorm::run(Post::objects.acreate(make_post("async", 1, 1.0, false, 6, ann)));
  EXPECT_GT(s.id, 0);
  EXPECT_EQ(a.id, s.id + 1);
  EXPECT_EQ(Post::objects.get(Q("id", a.id)).title, "async");
  EXPECT_EQ(Post::objects.get(Q("id", s.id)).created, day(6));
}

TEST_F(Terminals, GetOrCreateBothForms) {
  auto [found, created] = Post::objects.get_or_create(Q("title", "Gamma"));
  EXPECT_FALSE(created);
  EXPECT_EQ(found.id, posts[2].id);
  auto [afound, acreated] = aorm::run(Post::objects.aget_or_create(Q("title", "Gamma")));
  EXPECT_FALSE(acreated);
  EXPECT_EQ(afound.id, found.id);

  Post defaults = make_post("ignored", 7, 1.5, true, 7, bob);
  auto [made, was_created] = Post::objects.get_or_create(Q("title", "new"), defaults);
  EXPECT_TRUE(was_created);
  EXPECT_EQ(made.title, "new"); // the exact lookup wins over defaults
  EXPECT_EQ(made.views, 7);
  auto [amade, awas_created] =
      aorm::run(Post::objects.aget_or_create(Q("title__exact", "anew"), defaults));
  EXPECT_TRUE(awas_created);
  EXPECT_EQ(Post::objects.get(Q("id", amade.id)).title, "anew");
  EXPECT_EQ(Post::objects.count(), 7);
}

TEST_F(Terminals, BulkCreateBothForms) {
  auto s = Post::objects.bulk_create(
      {make_post("s1", 1, 1, false, 8, ann), make_post("s2", 2, 1, false, 8, ann)});
  auto a = aorm::run(Post::objects.abulk_create(
      {make_post("a1", 1, 1, false, 8, bob), make_post("a2", 2, 1, false, 8, bob)}));
  ASSERT_EQ(s.size(), 2u);
  ASSERT_EQ(a.size(), 2u);
  EXPECT_EQ(s[1].id, s[0].id + 1);
  EXPECT_EQ(a[0].id, s[1].id + 1);
  EXPECT_EQ(Post::objects.filter(Q("created", day(8))).count(), 4);
}

TEST_F(Terminals, UpdateBothFormsHaveTheSameEffect) {
  auto qs = Post::objects.filter(Q("author", ann.id));
  EXPECT_EQ(qs.update({{"views", F("views") + 1}, {"rating", 1.25}}), 3);
  auto after_sync = table();
  EXPECT_EQ(aorm::run(qs.aupdate({{"views", F("views") - 1}})), 3);
  EXPECT_EQ(aorm::run(qs.aupdate({{"views", F("views") + 1}})), 3);
  EXPECT_EQ(table(), after_sync);
  EXPECT_EQ(Post::objects.get(Q("title", "Alpha")).views, 11);
  EXPECT_EQ(Post::objects.get(Q("title", "Gamma")).views, 30);
  // A sliced update is refused, as Django refuses it.
  EXPECT_THROW(
      (void)Post::objects.order_by("-views")[aorm::slice(0, 2)].update({{"published", false}}),
      aorm::Error);
  EXPECT_EQ(Post::objects.filter(Q("published", true)).count(), 3);
}

TEST_F(Terminals, UpdateOrCreateBothForms) {
  auto [u, created] = Post::objects.update_or_create(Q("title", "beta"), {{"views", 99}});
  EXPECT_FALSE(created);
  EXPECT_EQ(u.views, 99);
  EXPECT_EQ(Post::objects.get(Q("title", "beta")).views, 99);
  auto [au, acreated] =
      aorm::run(Post::objects.aupdate_or_create(Q("title", "beta"), {{"views", F("views") + 1}}));
  EXPECT_FALSE(acreated);
  EXPECT_EQ(au.views, 100);
  auto [c, ccreated] = aorm::run(
      Post::objects.aupdate_or_create(Q("title", "fresh"), {{"views", 3}, {"author", bob.id}}));
  EXPECT_TRUE(ccreated);
  EXPECT_EQ(c.author.id(), bob.id);
  EXPECT_EQ(Post::objects.get(Q("title", "fresh")).views, 3);
}

TEST_F(Terminals, BulkUpdateBothForms) {
  auto list = Post::objects.order_by("id").list();
  for (auto &p : list)
    p.views += 100, p.title += "!";
  EXPECT_EQ(Post::objects.bulk_update(list, {"views"}), 5);
  EXPECT_EQ(Post::objects.get(Q("id", list[0].id)).views, 110);
  EXPECT_EQ(Post::objects.get(Q("id", list[0].id)).title, "Alpha") << "title was not named";
  EXPECT_EQ(aorm::run(Post::objects.abulk_update(list, {"title"})), 5);
  EXPECT_EQ(Post::objects.get(Q("id", list[0].id)).title, "Alpha!");
}

TEST_F(Terminals, DeleteBothForms) {
  EXPECT_EQ(Post::objects.filter(Q("published", false)).delete_().total, 2);
  EXPECT_EQ(aorm::run(Post::objects.filter(Q("title__startswith", "Alpha")).adelete()).total, 2);
  EXPECT_EQ(Post::objects.count(), 1);
  // Deleting an author cascades to their posts, and the result counts both.
  auto [total, per_model] = Author::objects.filter(Q("name", "Bob")).delete_();
  EXPECT_EQ(total, 2);
  EXPECT_EQ(per_model, (std::map<std::string, std::int64_t>{{"Author", 1}, {"Post", 1}}));
  EXPECT_EQ(Post::objects.count(), 0);
}

TEST_F(Terminals, InBulkBothForms) {
  auto s = Post::objects.in_bulk(std::vector<std::int64_t>{posts[0].id, posts[2].id, 9999});
  auto a =
      aorm::run(Post::objects.ain_bulk(std::vector<std::int64_t>{posts[0].id, posts[2].id, 9999}));
  ASSERT_EQ(s.size(), 2u);
  ASSERT_EQ(a.size(), 2u);
  EXPECT_EQ(s.at(posts[2].id).title, "Gamma");
  EXPECT_EQ(a.at(posts[0].id).title, "Alpha");
  EXPECT_EQ(Post::objects.in_bulk().size(), 5u);
  EXPECT_TRUE(Post::objects.in_bulk(std::vector<std::int64_t>{}).empty());
}

TEST_F(Terminals, AggregateBothForms) {
  auto s = Post::objects.aggregate(aorm::Avg("rating"), aorm::Sum("views"), aorm::Count("id"),
                                   aorm::Min("created"), aorm::Max("title"));
  auto a =
      aorm::run(Post::objects.aaggregate(aorm::Avg("rating"), aorm::Sum("views"), aorm::Count("id"),
                                         aorm::Min("created"), aorm::Max("title")));
  EXPECT_EQ(s, a);
  EXPECT_DOUBLE_EQ(s.at("rating__avg").as_double(), 3.7);
  EXPECT_EQ(s.at("views__sum").as_int(), 150);
  EXPECT_EQ(s.at("id__count").as_int(), 5);
  EXPECT_EQ(s.at("created__min").as_datetime(), day(1));
  EXPECT_EQ(s.at("title__max").as_string(), "delta");
  auto named =
      Post::objects.filter(Q("author__name", "Bob")).aggregate({{"total", aorm::Sum("views")}});
  EXPECT_EQ(named.at("total").as_int(), 70);
  auto sliced = aorm::run(Post::objects.order_by("views")[aorm::slice(0, 2)].aaggregate(
      {{"top2", aorm::Sum("views")}, {"authors", aorm::Count("author", true)}}));
  EXPECT_EQ(sliced.at("top2").as_int(), 30);
  EXPECT_EQ(sliced.at("authors").as_int(), 1);
}

TEST_F(Terminals, ListBothForms) {
  auto qs = Post::objects.filter(Q("views__gte", 20)).order_by("-views");
  auto s = qs.list();
  auto a = aorm::run(qs.alist());
  EXPECT_EQ(titles(s), titles(a));
  EXPECT_EQ(titles(s), (std::vector<std::string>{"Alpha2", "delta", "Gamma", "beta"}));
}

TEST_F(Terminals, IteratorBothForms) {
  std::vector<std::string> s;
  for (auto &p : Post::objects.order_by("title").iterator(2))
    s.push_back(p.title);
  auto a = aorm::run([]() -> aorm::Task<std::vector<std::string>> {
    std::vector<std::string> out;
    auto it = Post::objects.order_by("title").aiterator(2);
    while (auto p = co_await it.next())
      out.push_back(p->title);
    co_return out;
  }());
  EXPECT_EQ(s, a);
  EXPECT_EQ(s, (std::vector<std::string>{"Alpha", "Alpha2", "Gamma", "beta", "delta"}));
}

TEST_F(Terminals, InstanceSaveDeleteRefreshBothForms) {
  Post p = make_post("inst", 1, 1, false, 9, ann);
  p.save();
  EXPECT_GT(p.id, 0);
  Post q = make_post("ainst", 1, 1, false, 9, ann);
  aorm::run(q.asave());
  EXPECT_EQ(q.id, p.id + 1);

  Post::objects.filter(Q("id", p.id)).update({{"views", 5}});
  Post::objects.filter(Q("id", q.id)).update({{"views", 6}});
  p.refresh_from_db();
  aorm::run(q.arefresh_from_db());
  EXPECT_EQ(p.views, 5);
  EXPECT_EQ(q.views, 6);

  p.title = "changed";
  p.save(); // UPDATE, not a second row
  aorm::run(q.asave());
  EXPECT_EQ(Post::objects.get(Q("id", p.id)).title, "changed");
  EXPECT_EQ(Post::objects.count(), 7);

  p.delete_();
  aorm::run(q.adelete());
  EXPECT_EQ(p.id, 0);
  EXPECT_EQ(q.id, 0);
  EXPECT_EQ(Post::objects.count(), 5);
}

TEST_F(Terminals, ForeignKeyGetBothForms) {
  auto p = Post::objects.get(Q("title", "delta"));
  EXPECT_EQ(p.author.get().name, "Bob");
  auto p2 = Post::objects.get(Q("title", "delta"));
  EXPECT_EQ(aorm::run(p2.author.aget()).name, "Bob");
}

} // namespace
} // namespace ormtest
