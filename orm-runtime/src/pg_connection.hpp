// One libpq connection and what every PostgreSQL code path shares (private to the library): the
// connection target parsed from setup()'s URL, parameters in libpq's text form typed by OID, the
// per-connection cache of prepared statements, result cells decoded to Values by column type,
// and libpq failures mapped to the runtime's errors by SQLSTATE.
//
// The blocking path (pg_backend.cpp, the sync terminals) calls exec(). A non-blocking path uses the
// same pieces on handle(): Params for PQsendPrepare/PQsendQueryPrepared, prepared()/remember() for
// the cache, throw_error() on a failed result, cell() for the rows, kSessionSql once connected.
#pragma once

#include "aorm/value.hpp"

#include <libpq-fe.h>

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace aorm::detail::pg {

// setup("postgresql://...", "postgres://..." or a libpq keyword string "host=... dbname=...").
struct Target {
  std::string conninfo;   // handed to libpq as is, minus aorm's own parameters
  std::size_t pool_size = 8; // aorm's URL parameter pool_size=N (connections for the a-methods)
};
// True when url is one of PostgreSQL's forms; throws DatabaseError naming a malformed one.
bool parse_url(std::string_view url, Target &out);

// Sent once on every new connection: DateTimes travel as ISO text with an explicit UTC offset.
inline constexpr const char *kSessionSql = "SET DateStyle = 'ISO'; SET TimeZone = 'UTC'";

struct ResultDeleter {
  void operator()(PGresult *r) const noexcept { PQclear(r); }
};
using Result = std::unique_ptr<PGresult, ResultDeleter>;

// Bound values in libpq's text format; each typed by its Value kind (int8, float8, text, bool,
// timestamptz; NULL is left for the server to infer), so `col + $1` or `$1 IN (...)` resolve the
// same way whatever the column.
class Params {
public:
  explicit Params(const std::vector<Value> &values);
  int count() const noexcept { return static_cast<int>(types_.size()); }
  const char *const *values() const noexcept { return ptrs_.data(); }
  const Oid *types() const noexcept { return types_.data(); }
  // The SQL text plus the parameter types: one prepared statement per key.
  std::string cache_key(const std::string &sql) const;

private:
  std::vector<std::string> text_;
  std::vector<const char *> ptrs_;
  std::vector<Oid> types_;
};

class PgConnection {
public:
  // Connects, blocking, and runs kSessionSql. Throws DatabaseError naming host and port.
  explicit PgConnection(const std::string &conninfo);
  ~PgConnection();
  PgConnection(const PgConnection &) = delete;
  PgConnection &operator=(const PgConnection &) = delete;

  PGconn *handle() const noexcept { return conn_; }
  // "host:port/database", for messages.
  const std::string &label() const noexcept { return label_; }
  // The server went away (PQstatus is CONNECTION_BAD): drop this connection, open a new one.
  bool broken() const noexcept;

  // Prepared statements on this connection, by Params::cache_key: the statement's name, or
  // nullptr if the key was never prepared here. To add one: name = new_statement_name(),
  // PREPARE it under that name, and remember(key, name) once the server accepted it.
  // full(): the cache holds its maximum; run further new statements unprepared.
  const std::string *prepared(const std::string &key) const;
  std::string new_statement_name();
  void remember(const std::string &key, std::string name);
  bool full() const noexcept;

  // Blocking: prepares sql on first use, runs it with params, returns the finished result.
  // Throws through throw_error() when the server or the connection fails.
  Result exec(const std::string &sql, const std::vector<Value> &params);
  // Blocking, unprepared, no parameters (session setup, DDL).
  void exec_simple(const std::string &sql);

private:
  PGconn *conn_ = nullptr;
  std::string label_;
  std::unordered_map<std::string, std::string> prepared_;
  std::size_t next_id_ = 0;
};

// Throws for a failed result (res may be nullptr when libpq returned none): IntegrityError for
// constraint violations (SQLSTATE class 23), SerializationError for 40001/40P01, DatabaseError
// otherwise; a lost connection says so and names `label` (host:port/database).
[[noreturn]] void throw_error(const PGresult *res, PGconn *conn, const std::string &label,
                              const std::string &sql);
// Whether res finished a statement (PGRES_COMMAND_OK or PGRES_TUPLES_OK).
bool succeeded(const PGresult *res) noexcept;
// Rows changed, from the command tag (0 for statements that change none).
std::int64_t affected_rows(const PGresult *res) noexcept;

// One result cell as a Value, by the column's type: NULL; int2/4/8 and oid -> Integer; float4/8
// -> Real; numeric -> Integer when it has no fraction, else Real; bool -> Bool;
// timestamp/timestamptz/date -> DateTime (UTC); everything else -> Text.
Value cell(const PGresult *res, int row, int col);

} // namespace aorm::detail::pg
