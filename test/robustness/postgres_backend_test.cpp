// What only PostgreSQL has: the URL forms and PG* variables, the column types migrate() creates,
// values read back by column type, errors by SQLSTATE (unique, not-null, foreign key ->
// IntegrityError; serialization failure and deadlock -> SerializationError), EXPLAIN, and
// prepared statements reused per connection. Runs only against a server (ctest postgres.backend).
#include "fault_models.hpp"

#include "../support/test_database.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <latch>
#include <limits>
#include <thread>

namespace faults {
namespace {

struct Sample : aorm::Model<Sample> {
  std::int64_t id = 0;
  bool flag = false;
  std::optional<bool> maybe;
  aorm::DateTime at{};
  std::optional<aorm::DateTime> when;
  double ratio = 0;
  std::int64_t big = 0;
  std::optional<std::string> note;
  std::string text;
};
AORM_MODEL(Sample, "pg_sample", id, flag, maybe, at, when, ratio, big, note, text)

std::string message_of(const std::function<void()> &fn) {
  try {
    fn();
  } catch (const std::exception &e) {
    return e.what();
  }
  return "(nothing thrown)";
}

class PostgresBackend : public ::testing::Test {
protected:
  void SetUp() override {
    ASSERT_TRUE(testdb::on_postgres())
        << "AORM_TEST_DATABASE_URL is not set: run through test/support/with-postgres.sh";
    aorm::setup(db_.run_url());
    aorm::migrate<Counter, Entry, Sample>();
  }
  static std::string env(const char *name) {
    const char *v = std::getenv(name);
    return v ? v : "";
  }
  ScratchDb db_{"postgres"};
};

TEST_F(PostgresBackend, EveryUrlFormReachesTheServer) {
  Counter c;
  c.name = "x";
  Counter::objects.create(c);
  std::string host = env("PGHOST"), port = env("PGPORT"), user = env("PGUSER"),
              db = env("PGDATABASE");
  // PGPASSWORD stays in the environment: libpq reads it for every form.
  for (const std::string &url :
       {std::string("postgresql://"), "postgresql://" + user + "@" + host + ":" + port + "/" + db,
        "postgres://" + host + ":" + port + "/" + db + "?connect_timeout=5&pool_size=4",
        "host=" + host + " port=" + port + " dbname=" + db + " user=" + user}) {
    SCOPED_TRACE(url);
    aorm::setup(url);
    EXPECT_EQ(Counter::objects.count(), 1);
    EXPECT_EQ(aorm::database_url(), url);
  }
  // A database that does not exist is named by the server's message, at the first query.
  aorm::setup("postgresql://" + host + ":" + port + "/no_such_db");
  auto m = message_of([] { (void)Counter::objects.count(); });
  EXPECT_NE(m.find("no_such_db"), std::string::npos) << m;
  EXPECT_NE(m.find(host + ":" + port), std::string::npos) << m;
}

TEST_F(PostgresBackend, MigrateCreatesPostgresTypes) {
  auto type_of = [](const std::string &column) {
    return testdb::postgres_exec("SELECT data_type FROM information_schema.columns WHERE "
                                 "table_name = 'pg_sample' AND column_name = '" +
                                 column + "'");
  };
  EXPECT_EQ(type_of("id"), "bigint");
  EXPECT_EQ(type_of("flag"), "boolean");
  EXPECT_EQ(type_of("at"), "timestamp with time zone");
  EXPECT_EQ(type_of("ratio"), "double precision");
  EXPECT_EQ(type_of("big"), "bigint");
  EXPECT_EQ(type_of("text"), "text");
  EXPECT_EQ(testdb::postgres_exec("SELECT is_identity FROM information_schema.columns WHERE "
                                  "table_name = 'pg_sample' AND column_name = 'id'"),
            "YES");
  EXPECT_EQ(testdb::postgres_exec("SELECT is_nullable FROM information_schema.columns WHERE "
                                  "table_name = 'pg_sample' AND column_name = 'note'"),
            "YES");
  EXPECT_EQ(testdb::postgres_exec("SELECT is_nullable FROM information_schema.columns WHERE "
                                  "table_name = 'pg_sample' AND column_name = 'text'"),
            "NO");
  EXPECT_NO_THROW((aorm::migrate<Counter, Entry, Sample>())) << "migrate() is idempotent";
}

TEST_F(PostgresBackend, ValuesRoundTripByColumnType) {
  using namespace std::chrono;
  Sample s;
  s.flag = true;
  s.maybe = false;
  s.at = sys_days(year(1999) / December / 31) + hours(23) + minutes(59) + seconds(59) +
         microseconds(123456);
  s.ratio = 0.1 + 0.2; // not exactly 0.3: the text form must keep every digit
  s.big = std::numeric_limits<std::int64_t>::min();
  s.text = "it's \"quoted\" \\ and ünïcode";
  s = Sample::objects.create(s);
  EXPECT_GT(s.id, 0) << "RETURNING gave the id";
  Sample t;
  t.at = sys_days(year(1970) / January / 1);
  t.big = std::numeric_limits<std::int64_t>::max();
  t.when = sys_days(year(2024) / February / 29) + hours(12);
  t.note = "";
  t = Sample::objects.create(t);
  EXPECT_EQ(t.id, s.id + 1);

  auto a = Sample::objects.get(aorm::Q("id", s.id));
  EXPECT_TRUE(a.flag);
  ASSERT_TRUE(a.maybe.has_value());
  EXPECT_FALSE(*a.maybe);
  EXPECT_EQ(a.at, s.at);
  EXPECT_FALSE(a.when.has_value()) << "NULL stays NULL";
  EXPECT_EQ(a.ratio, 0.1 + 0.2);
  EXPECT_EQ(a.big, std::numeric_limits<std::int64_t>::min());
  EXPECT_FALSE(a.note.has_value());
  EXPECT_EQ(a.text, s.text);
  auto b = Sample::objects.get(aorm::Q("id", t.id));
  EXPECT_FALSE(b.flag);
  EXPECT_FALSE(b.maybe.has_value());
  EXPECT_EQ(b.when, t.when);
  EXPECT_EQ(b.big, std::numeric_limits<std::int64_t>::max());
  ASSERT_TRUE(b.note.has_value());
  EXPECT_EQ(*b.note, "") << "an empty string is not NULL";
  // The server stored UTC instants: its own rendering in UTC says so.
  EXPECT_EQ(testdb::postgres_exec("SELECT to_char(at AT TIME ZONE 'UTC', "
                                  "'YYYY-MM-DD HH24:MI:SS.US') FROM pg_sample WHERE id = " +
                                  std::to_string(s.id)),
            "1999-12-31 23:59:59.123456");
  // Filters bind typed values: a bool, a timestamp range, a real against an integer literal.
  EXPECT_EQ(Sample::objects.filter(aorm::Q("flag", true)).count(), 1);
  EXPECT_EQ(Sample::objects.filter(aorm::Q("at__lt", t.at + seconds(1))).count(), 1);
  EXPECT_EQ(Sample::objects.filter(aorm::Q("ratio__gt", 0)).count(), 1);
  EXPECT_EQ(Sample::objects.filter(aorm::Q("maybe__isnull", true)).count(), 1);
  // Aggregates come back as numbers: SUM of bigint is numeric on the server.
  Entry e;
  e.batch = 20;
  e.text = "a";
  Entry::objects.create(e);
  e.id = 0;
  e.batch = 22;
  Entry::objects.create(e);
  auto agg = Entry::objects.aggregate(aorm::Sum("batch"), aorm::Avg("batch"));
  EXPECT_EQ(agg.at("batch__sum").kind(), aorm::Value::Kind::Integer);
  EXPECT_EQ(agg.at("batch__sum").as_int(), 42);
  EXPECT_DOUBLE_EQ(agg.at("batch__avg").as_double(), 21.0);
}

TEST_F(PostgresBackend, ConstraintViolationsAreIntegrityErrorsBySqlstate) {
  Counter c;
  c.name = "one";
  c = Counter::objects.create(c);
  // 23505: the same primary key twice.
  auto m = message_of([&] { Counter::objects.create(c); });
  EXPECT_NE(m.find("[23505]"), std::string::npos) << m;
  EXPECT_THROW(Counter::objects.create(c), aorm::IntegrityError);
  // 23502: NULL into a NOT NULL column, written by raw SQL.
  EXPECT_THROW((void)Counter::objects.raw("INSERT INTO counter (name, n) VALUES (NULL, 0) "
                                          "RETURNING id").list(),
               aorm::IntegrityError);
  // A statement the server rejects otherwise is a DatabaseError, not an IntegrityError.
  try {
    (void)Counter::objects.raw("SELECT id FROM no_such_table").list();
    ADD_FAILURE() << "no error";
  } catch (const aorm::IntegrityError &e) {
    ADD_FAILURE() << "not an integrity error: " << e.what();
  } catch (const aorm::DatabaseError &e) {
    std::string what = e.what();
    EXPECT_NE(what.find("no_such_table"), std::string::npos) << what;
    EXPECT_NE(what.find("[42P01]"), std::string::npos) << what;
  }
  // The failed statements left no transaction behind: writes go on.
  c.id = 0;
  EXPECT_NO_THROW(Counter::objects.create(c));
  EXPECT_EQ(Counter::objects.count(), 2);
}

// Two serializable transactions update the row both read: the second to commit is aborted with
// 40001, which is its own error type so callers can retry the transaction.
TEST_F(PostgresBackend, SerializationFailureHasItsOwnErrorType) {
  Counter c;
  c.name = "shared";
  c = Counter::objects.create(c);
  aorm::setup(std::string(testdb::postgres_url()) +
              "?options=-c%20default_transaction_isolation%3Dserializable");
  std::latch both_read(2);
  std::atomic<int> serialization_failures{0}, commits{0};
  auto worker = [&] {
    try {
      aorm::atomic([&] {
        auto row = Counter::objects.get(aorm::Q("id", c.id));
        both_read.arrive_and_wait();
        Counter::objects.filter(aorm::Q("id", c.id)).update({{"n", row.n + 1}});
      });
      ++commits;
    } catch (const aorm::SerializationError &) {
      ++serialization_failures;
    }
  };
  std::thread a(worker), b(worker);
  a.join();
  b.join();
  EXPECT_EQ(commits.load(), 1);
  EXPECT_EQ(serialization_failures.load(), 1);
  EXPECT_EQ(Counter::objects.get(aorm::Q("id", c.id)).n, 1) << "no lost update";
}

// Two transactions lock two rows in opposite orders: the server breaks the deadlock (40P01) by
// aborting one, reported as a SerializationError; the other commits.
TEST_F(PostgresBackend, DeadlockIsASerializationError) {
  Counter c1, c2;
  c1.name = "a";
  c2.name = "b";
  c1 = Counter::objects.create(c1);
  c2 = Counter::objects.create(c2);
  std::latch first_locked(2);
  std::atomic<int> deadlocks{0}, commits{0};
  std::string message;
  auto worker = [&](std::int64_t first, std::int64_t second) {
    try {
      aorm::atomic([&] {
        Counter::objects.filter(aorm::Q("id", first)).update({{"n", aorm::F("n") + 1}});
        first_locked.arrive_and_wait();
        Counter::objects.filter(aorm::Q("id", second)).update({{"n", aorm::F("n") + 1}});
      });
      ++commits;
    } catch (const aorm::SerializationError &e) {
      message = e.what();
      ++deadlocks;
    }
  };
  std::thread a(worker, c1.id, c2.id), b(worker, c2.id, c1.id);
  a.join();
  b.join();
  EXPECT_EQ(commits.load(), 1);
  EXPECT_EQ(deadlocks.load(), 1);
  EXPECT_NE(message.find("[40P01]"), std::string::npos) << message;
  EXPECT_EQ(Counter::objects.get(aorm::Q("id", c1.id)).n +
                Counter::objects.get(aorm::Q("id", c2.id)).n,
            2);
}

TEST_F(PostgresBackend, ExplainShowsThePostgresPlan) {
  auto plan = Counter::objects.filter(aorm::Q("name", "x")).explain();
  EXPECT_NE(plan.find("Scan on counter"), std::string::npos) << plan;
  EXPECT_NE(plan.find("Filter"), std::string::npos) << plan;
}

TEST_F(PostgresBackend, PreparedStatementsAreReusedPerConnection) {
  Counter c;
  c.name = "p";
  Counter::objects.create(c);
  (void)Counter::objects.filter(aorm::Q("name", "p")).count();
  aorm::reset_db_stats();
  for (int i = 0; i < 5; ++i)
    (void)Counter::objects.filter(aorm::Q("name", "q" + std::to_string(i))).count();
  EXPECT_EQ(aorm::db_stats().statements, 5u);
  EXPECT_EQ(aorm::db_stats().prepared, 0u) << "same SQL text and types: one prepared statement";
  (void)Counter::objects.filter(aorm::Q("n", 3)).count();
  EXPECT_EQ(aorm::db_stats().prepared, 1u) << "a new shape is prepared once";
  EXPECT_EQ(aorm::db_stats().connections, 0u) << "all on this thread's one connection";
}

} // namespace
} // namespace faults
