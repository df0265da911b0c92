// Related managers: the reverse foreign key manager (Django's post.comment_set), many-to-many in
// both directions with a through table, their sync and async terminals, prefetch_related over
// them and over several hops, and select_related over several hops.
#include "related_models.hpp"

namespace ormtest {
namespace {

using aorm::Q;
using aorm::related;
using V = std::vector<std::string>;

template <class T> V names_of(const std::vector<T> &xs) {
  V out;
  for (auto &x : xs)
    out.push_back(x.name);
  return out;
}
V texts(const std::vector<Comment> &cs) {
  V out;
  for (auto &c : cs)
    out.push_back(c.text);
  return out;
}

class Related : public BothDatabases {
protected:
  void SetUp() override {
    BothDatabases::SetUp();
    migrate_related();
    a1 = Article::objects.create(Article{{}, 0, "first", ann, {}});
    a2 = Article::objects.create(Article{{}, 0, "second", bob, {}});
    python = Tag::objects.create(Tag{{}, 0, "python"});
    cpp = Tag::objects.create(Tag{{}, 0, "cpp"});
    aorm::reset_db_stats();
  }
  Article a1, a2;
  Tag python, cpp;
};
INSTANTIATE_BOTH(Related);

TEST_P(Related, ReverseForeignKeyManagerCreatesAndLists) {
  auto comments = related(a1, &Comment::article);
  Comment c = comments.create(Comment{{}, 0, "nice", {}, ann});
  EXPECT_EQ(c.article.id(), a1.id);
  Comment d = aorm::run(comments.acreate(Comment{{}, 0, "async", {}, bob}));
  EXPECT_EQ(d.article.id(), a1.id);
  related(a2, &Comment::article).create(Comment{{}, 0, "other", {}, {}});
  EXPECT_EQ(texts(comments.order_by("id").list()), (V{"nice", "async"}));
  EXPECT_EQ(comments.count(), 2);
  EXPECT_EQ(aorm::run(comments.acount()), 2);
  EXPECT_EQ(comments.filter(Q("text", "async")).get().id, d.id);
  EXPECT_EQ(related(a2, &Comment::article).count(), 1);
}

TEST_P(Related, ReverseForeignKeyAddRemoveClearSet) {
  auto c1 = Comment::objects.create(Comment{{}, 0, "c1", a2, {}});
  auto c2 = Comment::objects.create(Comment{{}, 0, "c2", a2, {}});
  auto c3 = Comment::objects.create(Comment{{}, 0, "c3", {}, {}});
  auto comments = related(a1, &Comment::article);
  comments.add({c1, c3});
  EXPECT_EQ(texts(comments.order_by("id").list()), (V{"c1", "c3"}));
  aorm::run(comments.aremove({c1}));
  EXPECT_EQ(texts(comments.list()), (V{"c3"}));
  EXPECT_FALSE(Comment::objects.get(Q("id", c1.id)).article.is_set()) << "removed: NULL";
  EXPECT_THROW(comments.remove({c2}), aorm::DoesNotExist) << "c2 belongs to a2";
  EXPECT_EQ(related(a2, &Comment::article).count(), 1) << "and stays there";
  aorm::run(comments.aset({c1, c2}));
  EXPECT_EQ(texts(comments.order_by("id").list()), (V{"c1", "c2"}));
  EXPECT_FALSE(Comment::objects.get(Q("id", c3.id)).article.is_set());
  aorm::run(comments.aadd({c3}));
  comments.clear();
  EXPECT_EQ(comments.count(), 0);
  aorm::run(comments.aclear());
  EXPECT_EQ(Comment::objects.count(), 3) << "clear() unlinks, it does not delete";
  EXPECT_THROW(comments.add({Comment{}}), aorm::Error) << "an unsaved object";
}

TEST_P(Related, ReverseForeignKeyGetOrCreateAndUpdateOrCreate) {
  auto comments = related(a1, &Comment::article);
  auto [c, created] = comments.get_or_create(Q("text", "hi"));
  EXPECT_TRUE(created);
  EXPECT_EQ(c.article.id(), a1.id);
  auto [again, created_again] = aorm::run(comments.aget_or_create(Q("text", "hi")));
  EXPECT_FALSE(created_again);
  EXPECT_EQ(again.id, c.id);
  // Another article's "hi" is not this article's.
  auto [other, other_created] = related(a2, &Comment::article).get_or_create(Q("text", "hi"));
  EXPECT_TRUE(other_created);
  EXPECT_NE(other.id, c.id);
  auto [u, u_created] = aorm::run(comments.aupdate_or_create(Q("text", "hi"), {{"text", "hey"}}));
  EXPECT_FALSE(u_created);
  EXPECT_EQ(u.text, "hey");
  auto [n, n_created] = comments.update_or_create(Q("text", "new"), {{"by", ann.id}});
  EXPECT_TRUE(n_created);
  EXPECT_EQ(n.article.id(), a1.id);
  EXPECT_EQ(n.by.id(), ann.id);
}

TEST_P(Related, ManyToManyBothDirections) {
  auto tags = related(a1, &Article::tags);
  tags.add({python, cpp});
  tags.add({python}); // already linked: kept once
  EXPECT_EQ(names_of(tags.order_by("name").list()), (V{"cpp", "python"}));
  aorm::run(related(a2, &Article::tags).aadd({cpp}));
  // Backwards: the articles of a tag.
  auto articles = related(cpp, &Article::tags);
  EXPECT_EQ(articles.count(), 2);
  EXPECT_EQ(related(python, &Article::tags).get().headline, "first");
  tags.remove({cpp});
  EXPECT_EQ(names_of(tags.list()), (V{"python"}));
  EXPECT_EQ(aorm::run(related(cpp, &Article::tags).acount()), 1);
  aorm::run(tags.aset({cpp}));
  EXPECT_EQ(names_of(tags.list()), (V{"cpp"}));
  Tag made = aorm::run(tags.acreate(Tag{{}, 0, "rust"}));
  EXPECT_EQ(names_of(tags.order_by("name").list()), (V{"cpp", "rust"}));
  EXPECT_EQ(Tag::objects.get(Q("id", made.id)).name, "rust");
  // As Django: get_or_create looks among the linked tags only, so an unlinked "python" is not
  // found; a new one is created and linked.
  auto [got, created] = tags.get_or_create(Q("name", "python"));
  EXPECT_TRUE(created);
  EXPECT_NE(got.id, python.id);
  EXPECT_EQ(tags.count(), 3);
  auto [same, same_created] = aorm::run(tags.aget_or_create(Q("name", "python")));
  EXPECT_FALSE(same_created);
  EXPECT_EQ(same.id, got.id);
  // update_or_create likewise updates a linked match only.
  auto [upd, upd_created] = tags.update_or_create(Q("name", "cpp"), {{"name", "c++"}});
  EXPECT_FALSE(upd_created);
  EXPECT_EQ(Tag::objects.get(Q("id", cpp.id)).name, "c++");
  auto [unl, unl_created] = aorm::run(related(a2, &Article::tags).aupdate_or_create(Q("name", "rust"), {{"name", "rust2"}}));
  EXPECT_TRUE(unl_created) << "a2's tags hold no rust: a new tag";
  EXPECT_EQ(unl.name, "rust2") << "created from the lookup, then defaults, as Django";
  EXPECT_EQ(Tag::objects.get(Q("id", made.id)).name, "rust") << "the unlinked one is untouched";
  aorm::run(tags.aclear());
  EXPECT_EQ(tags.count(), 0);
  EXPECT_EQ(Tag::objects.count(), 5) << "clear() unlinks only";
  EXPECT_EQ(tags.filter(Q("name", "c++")).count(), 0);
}

TEST_P(Related, ManyToManyToItselfIsNotSymmetrical) {
  auto ann_p = Person::objects.create(Person{{}, 0, "ann", {}});
  auto bob_p = Person::objects.create(Person{{}, 0, "bob", {}});
  related(ann_p, &Person::friends).add({bob_p});
  EXPECT_EQ(names_of(related(ann_p, &Person::friends).list()), (V{"bob"}));
  EXPECT_EQ(related(bob_p, &Person::friends).count(), 0);
}

TEST_P(Related, DeletingAnObjectRemovesItsLinksAndCountsThem) {
  related(a1, &Article::tags).add({python, cpp});
  related(a2, &Article::tags).add({cpp});
  auto [total, per_model] = a1.delete_();
  EXPECT_EQ(total, 3);
  EXPECT_EQ(per_model, (std::map<std::string, std::int64_t>{{"Article", 1}, {"Article_tags", 2}}));
  EXPECT_EQ(related(cpp, &Article::tags).count(), 1);
  auto result = Tag::objects.filter(Q("name", "cpp")).delete_();
  EXPECT_EQ(result.per_model, (std::map<std::string, std::int64_t>{{"Tag", 1}, {"Article_tags", 1}}));
}

TEST_P(Related, PrefetchRelatedOverReverseAndManyToManyRunsOneQueryPerHop) {
  Comment::objects.bulk_create({Comment{{}, 0, "x", a1, ann}, Comment{{}, 0, "y", a1, bob},
                                Comment{{}, 0, "z", a2, ann}});
  related(a1, &Article::tags).add({python, cpp});
  aorm::reset_db_stats();
  auto articles = Article::objects.order_by("id").prefetch_related("comment_set", "tags").list();
  auto after_fetch = statements();
  EXPECT_EQ(after_fetch, 1u + 1u + 2u) << "articles, comments, tag links + tags";
  ASSERT_EQ(articles.size(), 2u);
  auto comments = related(articles[0], &Comment::article);
  EXPECT_EQ(comments.count(), 2);
  EXPECT_EQ(aorm::run(comments.acount()), 2);
  V seen;
  for (auto &c : comments)
    seen.push_back(c.text);
  EXPECT_EQ(seen, (V{"x", "y"}));
  EXPECT_EQ(related(articles[1], &Comment::article).count(), 1);
  EXPECT_EQ(related(articles[0], &Article::tags).count(), 2);
  EXPECT_EQ(related(articles[1], &Article::tags).count(), 0);
  EXPECT_EQ(statements(), after_fetch) << "answered from the prefetched caches";
  // A filter is a new query, as in Django.
  EXPECT_EQ(comments.filter(Q("text", "x")).count(), 1);
  EXPECT_EQ(statements(), after_fetch + 1);
}

TEST_P(Related, PrefetchRelatedOverSeveralHops) {
  Comment::objects.bulk_create({Comment{{}, 0, "x", a1, ann}, Comment{{}, 0, "y", a2, bob}});
  related(a1, &Article::tags).add({python});
  aorm::reset_db_stats();
  // Author -> article_set -> comment_set -> by, and Author -> article_set -> tags.
  auto authors = Author::objects.order_by("id")
                     .prefetch_related("article_set__comment_set__by", "article_set__tags")
                     .list();
  EXPECT_EQ(statements(), 1u + 1u + 1u + 1u + 2u);
  auto before = statements();
  auto ann_articles = related(authors[0], &Article::author).list();
  ASSERT_EQ(ann_articles.size(), 1u);
  // The article objects inside the cache carry their own prefetched relations.
  auto cached = related(authors[0], &Article::author);
  std::size_t n = 0;
  for (auto &article : cached) {
    auto cs = related(article, &Comment::article);
    for (auto &c : cs) {
      EXPECT_TRUE(c.by.is_loaded());
      EXPECT_EQ(c.by.get().name, "Ann");
      ++n;
    }
    EXPECT_EQ(related(article, &Article::tags).count(), 1);
  }
  EXPECT_EQ(n, 1u);
  EXPECT_EQ(statements(), before + 1) << "only the explicit list() queried";
  // Backwards many-to-many prefetch: tag -> article_set.
  auto tags = Tag::objects.order_by("id").prefetch_related("article_set").list();
  EXPECT_EQ(related(tags[0], &Article::tags).count(), 1);
  EXPECT_EQ(related(tags[1], &Article::tags).count(), 0);
}

TEST_P(Related, SelectRelatedOverSeveralHops) {
  auto c = Comment::objects.create(Comment{{}, 0, "deep", a1, bob});
  aorm::reset_db_stats();
  auto got = Comment::objects.select_related("article__author", "by").get(Q("id", c.id));
  EXPECT_EQ(statements(), 1u);
  ASSERT_TRUE(got.article.is_loaded());
  auto article = got.article.get();
  ASSERT_TRUE(article.author.is_loaded());
  EXPECT_EQ(article.author.get().name, "Ann");
  EXPECT_EQ(got.by.get().name, "Bob");
  EXPECT_EQ(statements(), 1u);
}

TEST_P(Related, FiltersDoNotCrossManyValuedRelationsAndSaySo) {
  try {
    (void)Article::objects.filter(Q("tags__name", "cpp")).count();
    ADD_FAILURE() << "no exception";
  } catch (const aorm::FieldError &e) {
    EXPECT_NE(std::string(e.what()).find("Article.tags is a many-to-many relation"),
              std::string::npos)
        << e.what();
  }
  try {
    (void)Article::objects.order_by("comment_set__text").list();
    ADD_FAILURE() << "no exception";
  } catch (const aorm::FieldError &e) {
    EXPECT_NE(std::string(e.what()).find("Article.comment_set is a reverse relation"),
              std::string::npos)
        << e.what();
  }
  // The supported spelling: __in with a QuerySet.
  related(a1, &Article::tags).add({cpp});
  EXPECT_EQ(Article::objects.filter(Q("id__in", related(cpp, &Article::tags).values_list("id")))
                .get()
                .headline,
            "first");
}

TEST_P(Related, UnknownRelationsAndUnsavedObjectsAreErrors) {
  EXPECT_THROW((void)Article::objects.prefetch_related("nope").list(), aorm::FieldError);
  EXPECT_THROW((void)Article::objects.prefetch_related("headline").list(), aorm::FieldError);
  EXPECT_THROW((void)Article::objects.prefetch_related("tags__").list(), aorm::FieldError);
  EXPECT_THROW((void)related(Article{}, &Comment::article), aorm::Error);
  EXPECT_THROW((void)related(Tag{}, &Article::tags), aorm::Error);
}

} // namespace
} // namespace ormtest
