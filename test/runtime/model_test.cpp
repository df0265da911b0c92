// Models: registration metadata, field types round-tripping through SQLite (NULL, bool, real,
// DateTime, foreign keys), migrate, and the shared in-memory database seen from worker threads.
#include "orm_fixture.hpp"

#include <set>
#include <thread>

namespace ormtest {

struct NoId : aorm::Model<NoId> {
  std::string key;
  std::int64_t value = 0;
};
AORM_MODEL(NoId, "no_id", key, value)

struct Partial : aorm::Model<Partial> {
  std::int64_t id = 0;
  std::string kept;
  std::string unregistered;
};
AORM_MODEL(Partial, "partial", id, kept)

namespace {

using aorm::Q;

class Models : public OrmTest {
protected:
  bool seeded() const override { return false; }
};
// About SQLite itself (the shared in-memory database, WAL files): SQLite in every run.
class SqliteModels : public Models {
protected:
  bool sqlite_only() const override { return true; }
};

TEST_F(Models, MetadataDescribesTheRegisteredFields) {
  const aorm::ModelMeta &m = aorm::meta_of<Post>();
  EXPECT_EQ(m.name, "Post");
  EXPECT_EQ(m.table, "post");
  ASSERT_EQ(m.fields.size(), 8u);
  EXPECT_EQ(m.pk_field().name, "id");
  EXPECT_EQ(m.field("author").column, "author_id");
  EXPECT_EQ(m.field("author").type, aorm::FieldType::ForeignKey);
  EXPECT_EQ(&m.field("author").related(), &aorm::meta_of<Author>());
  EXPECT_EQ(m.field("created").type, aorm::FieldType::DateTime);
  EXPECT_EQ(m.field("published").type, aorm::FieldType::Bool);
  EXPECT_EQ(m.field("rating").type, aorm::FieldType::Real);
  EXPECT_TRUE(m.field("body").nullable);
  EXPECT_FALSE(m.field("title").nullable);
  EXPECT_THROW(m.field("nope"), aorm::FieldError);
}

TEST_F(Models, AModelWithoutAnIdIsRejectedByName) {
  try {
    (void)aorm::meta_of<NoId>();
    FAIL() << "no exception";
  } catch (const aorm::FieldError &e) {
    EXPECT_NE(std::string(e.what()).find("NoId: AORM_MODEL needs an integer field named 'id'"),
              std::string::npos)
        << e.what();
  }
}

TEST_F(Models, TypedFieldOfAnUnregisteredMemberIsRejected) {
  EXPECT_EQ(aorm::field(&Partial::kept).name(), "kept");
  EXPECT_THROW((void)aorm::field(&Partial::unregistered), aorm::FieldError);
}

TEST_F(Models, EveryFieldTypeRoundTrips) {
  auto a = Author::objects.create(Author{{}, 0, "Zoë \"quoted\" 'name'", std::nullopt});
  Post p;
  p.title = "unicode ✓";
  p.published = true;
  p.created = aorm::parse_datetime("2023-12-31 23:59:59.123456");
  p.views = -5'000'000'000;
  p.rating = 0.1;
  p.author = a;
  p.body = std::string("multi\nline");
  p.save();
  Post back = Post::objects.get(Q("id", p.id));
  EXPECT_EQ(back.title, p.title);
  EXPECT_TRUE(back.published);
  EXPECT_EQ(back.created, p.created);
  EXPECT_EQ(back.views, p.views);
  EXPECT_DOUBLE_EQ(back.rating, 0.1);
  EXPECT_EQ(back.author.id(), a.id);
  EXPECT_EQ(back.body, p.body);
  EXPECT_FALSE(back.author.is_loaded());
  EXPECT_EQ(back.author.get().name, a.name);
  EXPECT_FALSE(Author::objects.get(Q("id", a.id)).email.has_value());

  back.body.reset();
  back.author = aorm::ForeignKey<Author>();
  back.save();
  Post cleared = Post::objects.get(Q("id", p.id));
  EXPECT_FALSE(cleared.body.has_value());
  EXPECT_FALSE(cleared.author.is_set());
  EXPECT_EQ(Post::objects.filter(Q("author__isnull", true)).count(), 1);
}

TEST_F(Models, SaveRecreatesADeletedRowWithTheSameId) {
  Post p;
  p.title = "again";
  p.save();
  auto id = p.id;
  Post::objects.filter(Q("id", id)).delete_();
  p.save();
  EXPECT_EQ(p.id, id);
  EXPECT_EQ(Post::objects.get(Q("id", id)).title, "again");
}

TEST_F(Models, MigrateIsIdempotent) {
  Author::objects.create(Author{{}, 0, "kept", {}});
  aorm::migrate<Author, Post>();
  EXPECT_EQ(Author::objects.count(), 1);
}

TEST_F(Models, DateTimeTextForm) {
  auto t = aorm::parse_datetime("2024-02-29T08:07:06.5Z");
  EXPECT_EQ(aorm::to_string(t), "2024-02-29 08:07:06.500000");
  EXPECT_EQ(aorm::parse_datetime("2024-02-29"), aorm::parse_datetime("2024-02-29 00:00:00"));
  EXPECT_THROW(aorm::parse_datetime("2023-02-29 00:00:00"), aorm::FieldError);
  EXPECT_THROW(aorm::parse_datetime("yesterday"), aorm::FieldError);
  EXPECT_THROW(aorm::parse_datetime("2024-01-01 10:00:00 +02"), aorm::FieldError);
}

TEST_F(Models, ValueAccessorsNameTheMismatch) {
  aorm::Value text("abc");
  try {
    (void)text.as_int();
    FAIL();
  } catch (const aorm::FieldError &e) {
    EXPECT_STREQ(e.what(), "expected an integer, got text 'abc'");
  }
  EXPECT_THROW((void)aorm::Value().as_string(), aorm::FieldError);
  EXPECT_DOUBLE_EQ(aorm::Value(3).as_double(), 3.0);
  aorm::Row row(std::make_shared<std::vector<std::string>>(std::vector<std::string>{"a"}),
                {aorm::Value(1)});
  EXPECT_EQ(row["a"].as_int(), 1);
  EXPECT_THROW((void)row["b"], aorm::FieldError);
}

TEST_F(SqliteModels, AnInMemoryDatabaseIsSharedWithWorkerThreads) {
  aorm::setup("sqlite::memory:");
  aorm::migrate<Author, Post>();
  auto a = Author::objects.create(Author{{}, 0, "mem", {}});
  EXPECT_EQ(aorm::run(Author::objects.acount()), 1);
  auto b = aorm::run(Author::objects.acreate(Author{{}, 0, "from worker", {}}));
  EXPECT_EQ(Author::objects.get(Q("id", b.id)).name, "from worker");
  std::int64_t seen = 0;
  std::thread([&] { seen = Author::objects.count(); }).join();
  EXPECT_EQ(seen, 2);
  auto gathered =
      aorm::run(aorm::gather(Author::objects.aget(Q("id", a.id)),
                             Author::objects.filter(Q("name__startswith", "from")).acount()));
  EXPECT_EQ(std::get<0>(gathered).name, "mem");
  EXPECT_EQ(std::get<1>(gathered), 1);
  // A second setup() is a fresh, empty in-memory database.
  aorm::setup("sqlite::memory:");
  EXPECT_THROW((void)Author::objects.count(), aorm::DatabaseError);
}

TEST_F(SqliteModels, ConcurrentWritersOnTheSharedInMemoryDatabaseAllLand) {
  aorm::setup("sqlite::memory:");
  aorm::migrate<Author, Post>();
  std::vector<aorm::Task<Author>> writers;
  for (int i = 0; i < 40; ++i)
    writers.push_back(Author::objects.acreate(Author{{}, 0, std::to_string(i) + "w", {}}));
  auto made = aorm::run(aorm::gather(std::move(writers)));
  std::set<std::int64_t> ids;
  for (auto &a : made)
    ids.insert(a.id);
  EXPECT_EQ(ids.size(), 40u);
  EXPECT_EQ(Author::objects.count(), 40);
}

TEST_F(SqliteModels, TheFileIsInWalMode) {
  Author::objects.create(Author{{}, 0, "wal", {}});
  EXPECT_TRUE(std::filesystem::exists(path_ + "-wal"));
}

} // namespace
} // namespace ormtest
