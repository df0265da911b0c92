// Faults on the PostgreSQL sync path, against the run's own throwaway cluster: a server that is
// not there names its host and port; a connection the server dropped fails the query that finds
// out and is reopened by the next one; a transaction it was in is not committed; the cluster
// stopped and started again (pg_ctlcluster) is found again; statement_timeout is a clear error.
#include "fault_models.hpp"

#include "../support/test_database.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <string>

namespace faults {
namespace {

std::string message_of(const std::function<void()> &fn) {
  try {
    fn();
  } catch (const aorm::DatabaseError &e) {
    return e.what();
  }
  return "(no DatabaseError)";
}

std::string env(const char *name) {
  const char *v = std::getenv(name);
  return v ? v : "";
}

// Ends every other client session on the test database, as a server restart or an
// administrator's pg_terminate_backend would.
void drop_other_sessions() {
  testdb::postgres_exec("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE "
                        "datname = current_database() AND backend_type = 'client backend' AND "
                        "pid <> pg_backend_pid()");
}

// pg_ctlcluster on the run's cluster (pg_virtualenv names it "regress" and exports where its
// configuration lives).
void cluster(const std::string &action) {
  std::string cmd = "pg_ctlcluster " + env("PGVERSION") + " regress " + action + " -m fast";
  ASSERT_EQ(std::system(cmd.c_str()), 0) << cmd;
}

class PostgresFaults : public ::testing::Test {
protected:
  void SetUp() override {
    ASSERT_TRUE(testdb::on_postgres())
        << "AORM_TEST_DATABASE_URL is not set: run through test/support/with-postgres.sh";
    aorm::setup(db_.run_url());
    aorm::migrate<Counter, Entry>();
    Counter c;
    c.name = "seed";
    Counter::objects.create(c);
  }
  ScratchDb db_{"postgres-faults"};
};

TEST_F(PostgresFaults, AServerThatIsNotThereIsNamedByHostAndPort) {
  aorm::setup("postgresql://127.0.0.1:1/app?connect_timeout=2");
  auto m = message_of([] { (void)Counter::objects.count(); });
  EXPECT_NE(m.find("cannot connect to PostgreSQL at 127.0.0.1:1"), std::string::npos) << m;
  m = message_of([] { (void)Counter::objects.count(); });
  EXPECT_NE(m.find("127.0.0.1:1"), std::string::npos) << "every query tries again: " << m;
  aorm::setup(testdb::postgres_url());
  EXPECT_EQ(Counter::objects.count(), 1) << "a good URL works after a bad one";
}

TEST_F(PostgresFaults, ADroppedConnectionFailsOneQueryAndIsReopened) {
  EXPECT_EQ(Counter::objects.count(), 1);
  auto opened = aorm::db_stats().connections;
  drop_other_sessions();
  auto m = message_of([] { (void)Counter::objects.count(); });
  EXPECT_NE(m.find("lost the connection to PostgreSQL at " + env("PGHOST") + ":" + env("PGPORT")),
            std::string::npos)
      << m;
  // Not retried behind the caller's back: a write may or may not have happened. The next query
  // opens a new connection.
  EXPECT_EQ(Counter::objects.count(), 1);
  EXPECT_EQ(aorm::db_stats().connections, opened + 1);
  EXPECT_EQ(Counter::objects.count(), 1);
  EXPECT_EQ(aorm::db_stats().connections, opened + 1) << "and keeps it";
}

TEST_F(PostgresFaults, ATransactionOnADroppedConnectionCommitsNothing) {
  auto m = message_of([] {
    aorm::atomic([] {
      Entry e;
      e.batch = 1;
      e.text = "lost";
      Entry::objects.create(e);
      drop_other_sessions();
      Entry::objects.create(e); // finds the connection gone
    });
  });
  EXPECT_NE(m.find("lost the connection"), std::string::npos) << m;
  EXPECT_EQ(Entry::objects.count(), 0) << "the server rolled the transaction back";
  // The next transaction runs on a new connection, from depth zero (BEGIN, not a savepoint).
  aorm::atomic([] {
    Entry e;
    e.batch = 2;
    e.text = "kept";
    Entry::objects.create(e);
  });
  EXPECT_EQ(Entry::objects.filter(aorm::Q("batch", 2)).count(), 1);
  EXPECT_EQ(testdb::postgres_exec("SELECT count(*) FROM entry"), "1") << "committed for others";
}

TEST_F(PostgresFaults, AStoppedServerIsNamedAndFoundAgainOnceStarted) {
  EXPECT_EQ(Counter::objects.count(), 1);
  cluster("stop");
  std::string where = env("PGHOST") + ":" + env("PGPORT");
  auto m = message_of([] { (void)Counter::objects.count(); });
  EXPECT_NE(m.find(where), std::string::npos) << m;
  m = message_of([] { (void)Counter::objects.count(); });
  EXPECT_NE(m.find("cannot connect to PostgreSQL at " + where), std::string::npos) << m;
  cluster("start");
  EXPECT_EQ(Counter::objects.count(), 1);
}

TEST_F(PostgresFaults, StatementTimeoutFromTheUrlIsAClearError) {
  aorm::setup(std::string(testdb::postgres_url()) + "?options=-c%20statement_timeout%3D100");
  auto m = message_of([] {
    (void)Counter::objects.raw("SELECT id, name, n FROM counter, pg_sleep(2)").list();
  });
  EXPECT_NE(m.find("statement_timeout"), std::string::npos) << m;
  EXPECT_NE(m.find("[57014]"), std::string::npos) << m;
  EXPECT_EQ(Counter::objects.count(), 1) << "the connection stays usable";
  // Near miss: a statement under the timeout runs.
  EXPECT_EQ(Counter::objects.raw("SELECT id, name, n FROM counter, pg_sleep(0.01)").list().size(),
            1u);
}

} // namespace
} // namespace faults
