// Bad input: each mistake is a clear aorm exception naming the model, field, lookup or path.
#include "expect_error.hpp"
#include "orm_fixture.hpp"

#include <sqlite3.h>

#include <functional>

namespace ormtest {
namespace {

using aorm::F;
using aorm::Q;

class Errors : public OrmTest {};
// About SQLite itself (file paths, rows written by another program through sqlite3): SQLite in
// every run; PostgreSQL's counterparts are in test/robustness/postgres_backend_test.cpp.
class SqliteErrors : public Errors {
protected:
  bool sqlite_only() const override { return true; }
};

TEST_F(Errors, UnknownFieldNamesModelFieldAndChoices) {
  auto m =
      message_of<aorm::FieldError>([] { (void)Post::objects.filter(Q("viewz__gt", 1)).count(); });
  EXPECT_HAS(m, "Post has no field 'viewz'");
  EXPECT_HAS(m, "views");
  m = message_of<aorm::FieldError>(
      [] { (void)Post::objects.filter(Q("author__nme", "x")).list(); });
  EXPECT_HAS(m, "Author has no field 'nme'");
  m = message_of<aorm::FieldError>([] { (void)Post::objects.order_by("-nope").list(); });
  EXPECT_HAS(m, "Post has no field 'nope'");
  m = message_of<aorm::FieldError>([] { (void)Post::objects.values("title", "nope").list(); });
  EXPECT_HAS(m, "'nope'");
  m = message_of<aorm::FieldError>([] { (void)Post::objects.update({{"nope", 1}}); });
  EXPECT_HAS(m, "Post has no field 'nope'");
  m = message_of<aorm::FieldError>([] { (void)Post::objects.select_related("title").list(); });
  EXPECT_HAS(m, "Post.title is not a foreign key");
  m = message_of<aorm::FieldError>([] { (void)Post::objects.prefetch_related("views").list(); });
  EXPECT_HAS(m, "Post.views is not a foreign key");
}

TEST_F(Errors, UnknownLookupNamesFieldAndLookup) {
  auto m = message_of<aorm::FieldError>(
      [] { (void)Post::objects.filter(Q("views__bigger", 1)).count(); });
  EXPECT_HAS(m, "Post.views: unsupported lookup 'bigger'");
  m = message_of<aorm::FieldError>(
      [] { (void)Post::objects.filter(Q("views__contains", "1")).count(); });
  EXPECT_HAS(m, "Post.views: lookup 'contains' needs a text field");
  m = message_of<aorm::FieldError>(
      [] { (void)Post::objects.filter(Q("views__gt__lt", 1)).count(); });
  EXPECT_HAS(m, "views__gt__lt");
}

TEST_F(Errors, WrongValueTypeNamesFieldAndValue) {
  auto m = message_of<aorm::FieldError>(
      [] { (void)Post::objects.filter(Q("views__gte", "ten")).count(); });
  EXPECT_HAS(m, "Post.views");
  EXPECT_HAS(m, "expects integer, got text 'ten'");
  m = message_of<aorm::FieldError>([] { (void)Post::objects.filter(Q("title", 3)).count(); });
  EXPECT_HAS(m, "Post.title: lookup 'exact' expects text, got integer 3");
  m = message_of<aorm::FieldError>([] { (void)Post::objects.filter(Q("published", 1)).count(); });
  EXPECT_HAS(m, "Post.published");
  m = message_of<aorm::FieldError>(
      [] { (void)Post::objects.filter(Q("created__gt", "2024-01-01")).count(); });
  EXPECT_HAS(m, "Post.created");
  m = message_of<aorm::FieldError>([] { (void)Post::objects.update({{"title", 5}}); });
  EXPECT_HAS(m, "Post.title: update() of expects text, got integer 5");
  m = message_of<aorm::FieldError>([] { (void)Post::objects.update({{"title", nullptr}}); });
  EXPECT_HAS(m, "Post.title: update() of NULL into a non-nullable field");
  m = message_of<aorm::FieldError>([] { (void)Post::objects.filter(Q("views__in", 3)).count(); });
  EXPECT_HAS(m, "lookup 'in' takes a list");
  m = message_of<aorm::FieldError>(
      [] { (void)Post::objects.filter(Q("views__range", {1})).count(); });
  EXPECT_HAS(m, "lookup 'range' takes 2 values");
  m = message_of<aorm::FieldError>(
      [] { (void)Post::objects.filter(Q("views__gt", nullptr)).count(); });
  EXPECT_HAS(m, "does not take NULL");
  m = message_of<aorm::FieldError>([] {
    (void)Post::objects.annotate({{"x", F("title") + 1}}).list();
  });
  EXPECT_HAS(m, "arithmetic on a text value");
  m = message_of<aorm::FieldError>([] { (void)Post::objects.aggregate(aorm::Sum("title")); });
  EXPECT_HAS(m, "Post.title: SUM() needs a number field");
  m = message_of<aorm::FieldError>([] { (void)Post::objects.update({{"id", 5}}); });
  EXPECT_HAS(m, "Post.id: update() cannot change the primary key");
  m = message_of<aorm::FieldError>([] {
    (void)Post::objects.annotate({{"views", F("rating")}}).list();
  });
  EXPECT_HAS(m, "'views' conflicts with a field on Post");
}

TEST_F(Errors, NothingRunsWhenValidationFails) {
  auto before = statements();
  EXPECT_THROW((void)Post::objects.filter(Q("views__gte", "ten")).update({{"views", 1}}),
               aorm::FieldError);
  EXPECT_EQ(statements(), before);
}

TEST_F(Errors, GetWithZeroOrManyRows) {
  auto m = message_of<aorm::DoesNotExist>([] { (void)Post::objects.get(Q("title", "nope")); });
  EXPECT_HAS(m, "Post matching query does not exist");
  EXPECT_HAS(m, "title='nope'");
  m = message_of<aorm::MultipleObjectsReturned>(
      [] { (void)Post::objects.get(Q("published", true)); });
  EXPECT_HAS(m, "get() returned more than one Post -- it returned 3");
  EXPECT_THROW(aorm::run(Post::objects.aget(Q("title", "nope"))), aorm::DoesNotExist);
  EXPECT_THROW(aorm::run(Post::objects.aget()), aorm::MultipleObjectsReturned);
  std::vector<Post> many(25, make_post("same", 1, 1, false, 1, ann));
  Post::objects.bulk_create(many);
  m = message_of<aorm::MultipleObjectsReturned>(
      [] { (void)Post::objects.get(Q("title", "same")); });
  EXPECT_HAS(m, "more than 20");
}

TEST_F(SqliteErrors, MissingDatabasePathNamesThePath) {
  aorm::setup("sqlite:///nonexistent-dir-aorm/sub/app.db");
  auto m = message_of<aorm::DatabaseError>([] { (void)Post::objects.count(); });
  EXPECT_HAS(m, "/nonexistent-dir-aorm/sub/app.db");
  EXPECT_THROW(aorm::run(Post::objects.acount()), aorm::DatabaseError);
}

TEST_F(Errors, ClosedDatabase) {
  aorm::close();
  auto m = message_of<aorm::DatabaseError>([] { (void)Post::objects.count(); });
  EXPECT_HAS(m, "closed");
  EXPECT_THROW(aorm::run(Post::objects.alist()), aorm::DatabaseError);
  aorm::setup(postgres() ? std::string(testdb::postgres_url()) : "sqlite://" + path_);
  EXPECT_EQ(Post::objects.count(), 5) << "setup() again reopens the same database";
}

TEST_F(SqliteErrors, MissingTableNamesTableAndPath) {
  aorm::close();
  aorm::setup("sqlite://" + (dir_ / "empty.db").string());
  auto m = message_of<aorm::DatabaseError>([] { (void)Post::objects.count(); });
  EXPECT_HAS(m, "no such table: post");
  EXPECT_HAS(m, "empty.db");
}

TEST_F(Errors, BadUrl) {
  auto m = message_of<aorm::DatabaseError>([] { aorm::setup("mysql://localhost/db"); });
  EXPECT_HAS(m, "mysql://localhost/db");
  EXPECT_HAS(m, "postgresql://");
  // A PostgreSQL URL is checked by libpq at setup(), naming what is wrong; nothing connects yet.
  m = message_of<aorm::DatabaseError>([] { aorm::setup("postgresql://localhost/db?colour=red"); });
  EXPECT_HAS(m, "colour");
  m = message_of<aorm::DatabaseError>([] { aorm::setup("postgresql://localhost/db?pool_size=0"); });
  EXPECT_HAS(m, "pool_size");
  EXPECT_NO_THROW(aorm::setup("postgresql://localhost:1/db?pool_size=4&connect_timeout=2"));
  EXPECT_NO_THROW(aorm::setup("host=localhost port=1 dbname=db"));
}

TEST_F(Errors, ModelMisuse) {
  Post unsaved;
  EXPECT_HAS(message_of<aorm::Error>([&] { unsaved.delete_(); }), "Post object can't be deleted");
  EXPECT_HAS(message_of<aorm::Error>([&] { (void)Post::objects.contains(unsaved); }),
             "contains() needs a saved Post");
  EXPECT_HAS(message_of<aorm::Error>([&] { unsaved.refresh_from_db(); }),
             "Post object can't be refreshed");
  Post gone = posts[0];
  Post::objects.filter(Q("id", gone.id)).delete_();
  EXPECT_THROW(gone.refresh_from_db(), aorm::DoesNotExist);
  EXPECT_HAS(message_of<aorm::FieldError>([&] { (void)posts[1].annotation("score"); }),
             "Post object has no annotation 'score'");
  EXPECT_HAS(
      message_of<aorm::Error>([] { (void)Post::objects[aorm::slice(0, 2)].filter(Q("views", 1)); }),
      "filter() on a sliced Post QuerySet");
  EXPECT_HAS(message_of<aorm::Error>([] { (void)Post::objects[aorm::slice(3, 1)]; }), "invalid");
  EXPECT_THROW((void)Post::objects.iterator(0), aorm::Error);
  EXPECT_THROW((void)Post::objects.all()[99], std::out_of_range);
  aorm::ForeignKey<Author> unset;
  EXPECT_THROW((void)unset.get(), aorm::DoesNotExist);
}

TEST_F(Errors, ForeignKeyConstraintIsADatabaseError) {
  auto m = message_of<aorm::DatabaseError>([&] {
    Post::objects.create(make_post("orphan", 1, 1, false, 1, Author{{}, 4242, "x", {}}));
  });
  if (postgres()) {
    EXPECT_HAS(m, "violates foreign key constraint");
    EXPECT_HAS(m, "[23503]");
    EXPECT_HAS(m, "localhost:") << "names the server";
  } else {
    EXPECT_HAS(m, "FOREIGN KEY constraint failed");
    EXPECT_HAS(m, "test.db");
  }
  EXPECT_THROW(Post::objects.create(make_post("orphan", 1, 1, false, 1, Author{{}, 4242, "x", {}})),
               aorm::IntegrityError);
}

TEST_F(Errors, MalformedNamesAreErrorsNotCrashes) {
  std::vector<std::function<void()>> bad = {
      [] { (void)Post::objects.filter(Q("", 1)).count(); },
      [] { (void)Post::objects.filter(Q("__", 1)).count(); },
      [] { (void)Post::objects.filter(Q("author__", 1)).count(); },
      [] { (void)Post::objects.filter(Q("views__", 1)).count(); },
      [] { (void)Post::objects.order_by("").list(); },
      [] { (void)Post::objects.order_by("-").list(); },
      [] { (void)Post::objects.values("author__").list(); },
      [] { (void)Post::objects.latest(""); },
      [] {
        (void)Post::objects.annotate({{"a", F("a")}}).list();
      },
      [] {
        (void)Post::objects.annotate({{"a", F("b")}, {"b", F("a")}}).list();
      },
      [] {
        (void)Post::objects.aggregate({{"x", F("views")}});
      },
      [] { (void)Post::objects.aggregate(std::vector<aorm::Named>{}); },
      [] { (void)Post::objects.aggregate(aorm::Avg("author__nope")); },
      [] { (void)Post::objects.bulk_update({}, {}); },
      [] { (void)Post::objects.update({}); },
      [] {
        (void)Post::objects.update({{"title", F("nope")}});
      },
      [] {
        (void)Post::objects.update({{"views", F("author__name")}});
      },
      [] {
        (void)Post::objects.values("views")
            .annotate({{"n", aorm::Count("id")}})
            .filter(Q("n__gt", 1))
            .delete_();
      },
      [] {
        (void)Post::objects.annotate({{"n", aorm::Count("id")}}).list();
      },
      [] { (void)Post::objects.select_related("author__name").list(); },
      [] { (void)Post::objects.prefetch_related("author__x").list(); },
      [] { (void)Post::objects[aorm::slice(-1)]; },
      [] { (void)aorm::parse_datetime(""); },
      [] { (void)aorm::parse_datetime("99999-01-01 00:00:00"); },
      [] { (void)aorm::parse_datetime("2024-01-01 10:00:00."); },
  };
  for (std::size_t i = 0; i < bad.size(); ++i) {
    SCOPED_TRACE("bad input #" + std::to_string(i));
    EXPECT_THROW(bad[i](), aorm::Error);
  }
}

TEST_F(SqliteErrors, RowsWrittenWithWrongTypesNameTheField) {
  // Another program stored text in an integer column; reading it names model, field and table.
  sqlite3 *raw = nullptr;
  ASSERT_EQ(sqlite3_open(path_.c_str(), &raw), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(raw, "UPDATE post SET views = 'lots' WHERE title = 'beta'", nullptr,
                         nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(raw);
  auto m = message_of<aorm::FieldError>([] { (void)Post::objects.get(Q("title", "beta")); });
  EXPECT_HAS(m, "Post.views (table post): expected an integer, got text 'lots'");
  EXPECT_EQ(Post::objects.get(Q("title", "Gamma")).views, 30) << "other rows still read";
}

TEST_F(Errors, SyncTerminalsInsideACoroutineThrowSynchronousOnlyOperation) {
  if (aorm::async_unsafe_allowed())
    GTEST_SKIP() << "AORM_ALLOW_ASYNC_UNSAFE is set";
  std::vector<std::function<void()>> calls = {
      [] { (void)Post::objects.count(); },
      [] { (void)Post::objects.get(Q("title", "beta")); },
      [] { (void)Post::objects.first(); },
      [] { (void)Post::objects.list(); },
      [] { (void)Post::objects.exists(); },
      [] {
        (void)Post::objects.update({{"views", 1}});
      },
      [] { (void)Post::objects.delete_(); },
      [] { (void)Post::objects.aggregate(aorm::Count("id")); },
      [] { (void)Post::objects.explain(); },
      [] {
        for (auto &p : Post::objects.all())
          (void)p;
      },
      [] {
        for (auto &p : Post::objects.iterator(2))
          (void)p;
      },
      [this] {
        Post p = posts[0];
        p.save();
      },
      [this] { (void)aorm::ForeignKey<Author>(ann.id).get(); },
      [] { aorm::atomic([] {}); },
  };
  auto before = statements();
  int thrown = aorm::run([&]() -> aorm::Task<int> {
    int n = 0;
    for (auto &call : calls) {
      try {
        call();
      } catch (const aorm::SynchronousOnlyOperation &) {
        ++n;
      }
    }
    co_return n;
  }());
  EXPECT_EQ(thrown, static_cast<int>(calls.size()));
  EXPECT_EQ(statements(), before);
}

} // namespace
} // namespace ormtest
