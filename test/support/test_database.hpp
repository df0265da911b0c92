// Which database a test binary run uses: SQLite, unless AORM_TEST_DATABASE_URL names a PostgreSQL
// server. The `postgres` ctest runs set it: test/support/with-postgres.sh starts a throwaway
// cluster with pg_virtualenv and runs the binary against it (one cluster per run, not per test).
#pragma once

#include <aorm/aorm.hpp>

#include <libpq-fe.h>

#include <cstdlib>
#include <stdexcept>
#include <string>

namespace testdb {

inline const char *postgres_url() {
  const char *url = std::getenv("AORM_TEST_DATABASE_URL");
  return url && *url ? url : nullptr;
}
inline bool on_postgres() { return postgres_url() != nullptr; }

// Runs sql on a connection of its own (not aorm's), so a test can set up, inspect or break things
// behind the runtime's back; returns the first row's first column ("" when there is none).
// Throws naming the statement and the server's message.
inline std::string postgres_exec(const std::string &sql) {
  PGconn *c = PQconnectdb(postgres_url());
  if (PQstatus(c) != CONNECTION_OK) {
    std::string msg = PQerrorMessage(c);
    PQfinish(c);
    throw std::runtime_error("test database: cannot connect: " + msg);
  }
  PQsetNoticeProcessor(c, [](void *, const char *) {}, nullptr);
  PGresult *r = PQexec(c, sql.c_str());
  bool ok = PQresultStatus(r) == PGRES_COMMAND_OK || PQresultStatus(r) == PGRES_TUPLES_OK;
  std::string msg = ok ? "" : PQresultErrorMessage(r);
  std::string value =
      ok && PQntuples(r) > 0 && PQnfields(r) > 0 ? std::string(PQgetvalue(r, 0, 0)) : "";
  PQclear(r);
  PQfinish(c);
  if (!ok)
    throw std::runtime_error("test database: " + sql + ": " + msg);
  return value;
}

// Each test starts from an empty database: schema public dropped and made again. Connections
// left by earlier tests (worker threads keep theirs) are idle and hold no locks; one that does
// would fail the reset within the lock timeout rather than hang it.
inline void reset_postgres() {
  postgres_exec("SET lock_timeout = '5s'; DROP SCHEMA IF EXISTS public CASCADE; "
                "CREATE SCHEMA public");
}

// Sets up this test's database: a fresh PostgreSQL schema when on_postgres(), else sqlite_url.
inline void setup(const std::string &sqlite_url) {
  if (on_postgres()) {
    reset_postgres();
    aorm::setup(postgres_url());
  } else {
    aorm::setup(sqlite_url);
  }
}

// The n-th bound parameter in raw SQL written by a test: ?n on SQLite, $n on PostgreSQL.
inline std::string placeholder(int n) { return (on_postgres() ? "$" : "?") + std::to_string(n); }

} // namespace testdb
