// The a-methods without a thread hop on PostgreSQL (the query awaited on the socket by the loop):
// no worker job at all, the connection pool (size from the URL, a queue with a timeout), a query
// cancelled when its task is destroyed, a broken connection replaced. On SQLite the same a-methods
// hop to the worker pool, one job each (the near miss that proves the count means something).
#include "orm_fixture.hpp"

#include <libpq-fe.h>

#include <cstdlib>
#include <thread>

namespace ormtest {
namespace {

using aorm::F;
using aorm::Q;
using aorm::Task;
using namespace std::chrono_literals;

class NoHop : public BothDatabases {};
INSTANTIATE_BOTH(NoHop);

TEST_P(NoHop, AMethodsRunNoWorkerJobOnPostgres) {
  std::uint64_t jobs = 0;
  int methods = 0;
  auto body = [&]() -> Task<void> {
    auto before = aorm::detail::pool_jobs();
    Post alpha = co_await Post::objects.aget(Q("title", "Alpha"));
    EXPECT_EQ(alpha.views, 10);
    auto first = co_await Post::objects.order_by("views").afirst();
    EXPECT_EQ(first->title, "Alpha");
    auto last = co_await Post::objects.order_by("views").alast();
    EXPECT_EQ(last->title, "Alpha2");
    EXPECT_EQ(co_await Post::objects.filter(Q("views__gt", 15)).acount(), 4);
    EXPECT_TRUE(co_await Post::objects.filter(Q("title", "Gamma")).aexists());
    EXPECT_FALSE(co_await Post::objects.filter(Q("title", "nope")).aexists());
    auto listed = co_await Post::objects.order_by("-views").alist();
    EXPECT_EQ(titles(listed), (std::vector<std::string>{"Alpha2", "delta", "Gamma", "beta", "Alpha"}));
    Post made = co_await Post::objects.acreate(make_post("made", 7, 1, false, 1, ann));
    EXPECT_GT(made.id, 0);
    aorm::Assignments bump{{"views", F("views") + 1}};
    EXPECT_EQ(co_await Post::objects.filter(Q("title", "made")).aupdate(bump), 1);
    made.title = "saved";
    co_await made.asave();
    Post fresh = make_post("fresh", 1, 1, false, 1, ann);
    co_await fresh.asave(); // an INSERT: the object gets its id back
    EXPECT_GT(fresh.id, made.id);
    co_await fresh.arefresh_from_db();
    auto deleted = co_await fresh.adelete();
    EXPECT_EQ(deleted.total, 1);
    EXPECT_EQ(fresh.id, 0);
    auto gone = co_await Post::objects.filter(Q("title", "saved")).adelete();
    EXPECT_EQ(gone.total, 1);
    methods = 14;
    jobs = aorm::detail::pool_jobs() - before;
  };
  aorm::run(body());
  EXPECT_EQ(Post::objects.count(), 5);
  EXPECT_EQ(jobs, postgres() ? 0u : static_cast<std::uint64_t>(methods));
}

// A cascade (several queries, on one connection) and an error raised by the server come through
// the same path.
TEST_P(NoHop, MultiQueryTerminalsAndServerErrors) {
  auto body = [&]() -> Task<void> {
    auto r = co_await Author::objects.filter(Q("name", "Bob")).adelete();
    EXPECT_EQ(r.total, 3); // Bob and his two posts
    bool refused = false;
    try {
      Author nobody{{}, 777, "x", {}}; // named: g++-12 frees a braced temporary in co_await twice
      co_await Post::objects.acreate(make_post("bad fk", 1, 1, false, 1, nobody));
    } catch (const aorm::IntegrityError &) {
      refused = true;
    }
    EXPECT_TRUE(refused);
    EXPECT_EQ(co_await Post::objects.acount(), 3); // the connection is usable after the error
  };
  aorm::run(body());
}

// The pool and its faults: PostgreSQL only (ctest postgres.runtime.*, a throwaway server).
class PostgresPool : public OrmTest {
protected:
  void SetUp() override {
    if (!testdb::on_postgres())
      GTEST_SKIP() << "needs the PostgreSQL server of the ctest postgres.runtime.* runs";
    OrmTest::SetUp();
  }
  void TearDown() override {
    ::unsetenv("AORM_PG_POOL_TIMEOUT_MS");
    if (testdb::on_postgres())
      OrmTest::TearDown();
  }
  static void use_pool_of(int n) {
    std::string url = testdb::postgres_url();
    url += (url.find('?') == std::string::npos ? "?" : "&") + std::string("pool_size=") +
           std::to_string(n);
    aorm::setup(url);
  }
  static int server_count(const std::string &sql) {
    PGconn *c = PQconnectdb(testdb::postgres_url());
    PGresult *r = PQexec(c, sql.c_str());
    int n = PQresultStatus(r) == PGRES_TUPLES_OK ? std::atoi(PQgetvalue(r, 0, 0)) : -1;
    PQclear(r);
    PQfinish(c);
    return n;
  }
};

TEST_F(PostgresPool, AThousandConcurrentAgetsShareThePoolSize) {
  use_pool_of(3);
  auto before = aorm::db_stats().connections;
  int right = 0;
  auto one = [&](int i) -> Task<void> {
    const char *names[] = {"Alpha", "beta", "Gamma", "delta", "Alpha2"};
    Post p = co_await Post::objects.aget(Q("title", names[i % 5]));
    if (p.title == names[i % 5])
      ++right;
  };
  auto all = [&]() -> Task<void> {
    std::vector<Task<void>> tasks;
    for (int i = 0; i < 1000; ++i)
      tasks.push_back(one(i));
    co_await aorm::gather(std::move(tasks));
  };
  aorm::run(all());
  EXPECT_EQ(right, 1000);
  EXPECT_EQ(aorm::db_stats().connections - before, 3u);
}

// What holds a connection for a while: a raw query that sleeps on the server.
Task<std::size_t> slow_query(double seconds) {
  auto rows = co_await Post::objects
                  .raw("SELECT post.* FROM post, pg_sleep(" + std::to_string(seconds) + ")", {})
                  .alist();
  co_return rows.size();
}

TEST_F(PostgresPool, AnExhaustedPoolTimesOutWithAClearError) {
  use_pool_of(1);
  ::setenv("AORM_PG_POOL_TIMEOUT_MS", "100", 1);
  std::string error;
  auto waiter = [&]() -> Task<void> {
    co_await aorm::sleep_for(20ms); // the slow query has the only connection by now
    try {
      co_await Post::objects.acount();
    } catch (const aorm::DatabaseError &e) {
      error = e.what();
    }
  };
  auto both = [&]() -> Task<void> { co_await aorm::gather(slow_query(0.6), waiter()); };
  aorm::run(both());
  EXPECT_NE(error.find("all 1 connections of the PostgreSQL pool for"), std::string::npos) << error;
  EXPECT_NE(error.find("stayed busy for 100 ms"), std::string::npos) << error;
  // The near miss: with time to wait, the queued query runs once the connection comes back.
  ::setenv("AORM_PG_POOL_TIMEOUT_MS", "5000", 1);
  std::int64_t counted = -1;
  auto patient = [&]() -> Task<void> {
    co_await aorm::sleep_for(20ms);
    counted = co_await Post::objects.acount();
  };
  auto again = [&]() -> Task<void> { co_await aorm::gather(slow_query(0.2), patient()); };
  aorm::run(again());
  EXPECT_EQ(counted, 5);
}

TEST_F(PostgresPool, ADestroyedTaskCancelsItsQuery) {
  use_pool_of(2);
  const std::string running = "SELECT count(*) FROM pg_stat_activity WHERE state = 'active' AND "
                              "query LIKE '%pg_sleep(30%' AND pid <> pg_backend_pid()";
  {
    aorm::EventLoop loop;
    auto task = std::make_unique<Task<std::size_t>>(slow_query(30));
    loop.schedule(task->handle());
    bool waited = false;
    auto pause = [&]() -> Task<void> {
      co_await aorm::sleep_for(300ms);
      waited = true;
    };
    auto p = pause();
    loop.schedule(p.handle());
    loop.run_until([&] { return waited; });
    ASSERT_FALSE(task->handle().done());
    EXPECT_EQ(server_count(running), 1); // the query is on the server
    task.reset();                        // cancels it and drops the connection
  }
  int left = -1;
  for (int i = 0; i < 50 && left != 0; ++i) {
    std::this_thread::sleep_for(20ms);
    left = server_count(running);
  }
  EXPECT_EQ(left, 0);
  auto after = []() -> Task<std::int64_t> { co_return co_await Post::objects.acount(); };
  EXPECT_EQ(aorm::run(after()), 5);
}

TEST_F(PostgresPool, ABrokenConnectionIsDroppedAndReplaced) {
  use_pool_of(1);
  auto count = []() -> Task<std::int64_t> { co_return co_await Post::objects.acount(); };
  EXPECT_EQ(aorm::run(count()), 5); // opens the pool's connection
  // The server ends every other session (as a restart or an administrator would).
  EXPECT_GE(server_count("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE "
                         "datname = current_database() AND pid <> pg_backend_pid()"),
            1);
  std::string error;
  auto broken = [&]() -> Task<void> {
    try {
      co_await Post::objects.acount();
    } catch (const aorm::DatabaseError &e) {
      error = e.what();
    }
  };
  aorm::run(broken());
  EXPECT_NE(error.find("PostgreSQL at"), std::string::npos) << error;
  EXPECT_EQ(aorm::run(count()), 5); // a new connection took its place
}

} // namespace
} // namespace ormtest
