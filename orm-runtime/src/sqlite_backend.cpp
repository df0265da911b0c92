// SQLite connections and statements: one prepared statement per SQL text cached per connection,
// bounded retries of locked/busy statements, extended result codes mapped to the runtime's errors.
#include "sqlite_backend.hpp"

#include "aorm/errors.hpp"

#include <sqlite3.h>

#include <atomic>
#include <chrono>
#include <thread>
#include <unistd.h>
#include <unordered_map>

namespace aorm::detail::sqlite {
namespace {

constexpr int kBusyTimeoutMs = 5000;

bool retryable(int rc) {
  int primary = rc & 0xff;
  return primary == SQLITE_BUSY || primary == SQLITE_LOCKED;
}

// Shared-cache table locks return SQLITE_LOCKED without calling the busy handler, so waits on
// them are bounded here by the same timeout.
std::chrono::steady_clock::time_point retry_deadline() {
  return std::chrono::steady_clock::now() + std::chrono::milliseconds(kBusyTimeoutMs);
}
// Retries a failed attempt (result rc) until the deadline. The deadline counts from the first
// attempt, which may already have waited out SQLite's busy handler: one timeout bounds the wait.
template <class Op>
int retry_until(int rc, Op op, std::chrono::steady_clock::time_point deadline) {
  while (retryable(rc) && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
    rc = op();
  }
  return rc;
}
template <class Op> int with_retry(Op op) {
  auto deadline = retry_deadline();
  return retry_until(op(), op, deadline);
}

class SqliteConnection;

class SqliteStatement final : public Statement {
public:
  SqliteStatement(SqliteConnection &conn, const std::string &sql);
  ~SqliteStatement() override;

  void bind(const std::vector<Value> &params);
  bool step() override;
  int columns() const override { return sqlite3_column_count(stmt_); }
  std::string column_name(int i) const override {
    const char *name = sqlite3_column_name(stmt_, i);
    return name ? name : "";
  }
  Value column(int i) const override;

private:
  SqliteConnection &conn_;
  std::string sql_;
  sqlite3_stmt *stmt_ = nullptr;
  bool started_ = false;
  bool produced_ = false;
};

class SqliteConnection final : public Connection {
public:
  SqliteConnection(const Target &t, bool cursor);
  ~SqliteConnection() override;

  std::unique_ptr<Statement> query(const std::string &sql,
                                   const std::vector<Value> &params) override {
    auto st = std::make_unique<SqliteStatement>(*this, sql);
    st->bind(params);
    return st;
  }
  std::int64_t changes() const override { return sqlite3_changes64(db_); }
  std::int64_t last_insert_id() const override { return sqlite3_last_insert_rowid(db_); }
  const std::string &label() const override { return label_; }

  sqlite3 *handle() const noexcept { return db_; }
  [[noreturn]] void fail(const std::string &what, int rc) const;

  // Prepared statements are kept per connection by SQL text and reused: the compiler emits the
  // same text for the same query shape, with values only in the bindings.
  sqlite3_stmt *take_cached(const std::string &sql);
  void give_back(const std::string &sql, sqlite3_stmt *stmt);

private:
  sqlite3 *db_ = nullptr;
  std::string label_;
  std::unordered_map<std::string, sqlite3_stmt *> idle_;
};

SqliteConnection::SqliteConnection(const Target &t, bool cursor) : label_(t.label) {
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
  if (t.uri)
    flags |= SQLITE_OPEN_URI | SQLITE_OPEN_SHAREDCACHE;
  int rc = sqlite3_open_v2(t.target.c_str(), &db_, flags, nullptr);
  if (rc != SQLITE_OK) {
    std::string msg = db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
    sqlite3_close_v2(db_);
    db_ = nullptr;
    throw DatabaseError("cannot open database " + label_ + ": " + msg);
  }
  sqlite3_extended_result_codes(db_, 1);
  sqlite3_busy_timeout(db_, kBusyTimeoutMs);
  // A cursor's shared-cache reader would take table locks that make writers on other
  // connections wait; read_uncommitted lets it read without them.
  const char *setup_sql = t.uri ? (cursor ? "PRAGMA foreign_keys = ON; PRAGMA read_uncommitted = 1;"
                                          : "PRAGMA foreign_keys = ON;")
                                : "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; "
                                  "PRAGMA foreign_keys = ON;";
  char *err = nullptr;
  rc = with_retry([&] { return sqlite3_exec(db_, setup_sql, nullptr, nullptr, &err); });
  if (rc != SQLITE_OK) {
    std::string msg = err ? err : sqlite3_errstr(rc);
    sqlite3_free(err);
    sqlite3_close_v2(db_);
    db_ = nullptr;
    throw DatabaseError("cannot open database " + label_ + ": " + msg);
  }
  count_connection();
}

SqliteConnection::~SqliteConnection() {
  for (auto &[sql, stmt] : idle_)
    sqlite3_finalize(stmt);
  if (db_)
    sqlite3_close_v2(db_);
}

sqlite3_stmt *SqliteConnection::take_cached(const std::string &sql) {
  auto it = idle_.find(sql);
  if (it == idle_.end())
    return nullptr; // none, or the only one is in use (a nested query with the same text)
  sqlite3_stmt *stmt = it->second;
  idle_.erase(it);
  return stmt;
}

void SqliteConnection::give_back(const std::string &sql, sqlite3_stmt *stmt) {
  constexpr std::size_t kMaxCached = 128;
  sqlite3_reset(stmt);
  sqlite3_clear_bindings(stmt);
  if (idle_.size() < kMaxCached && idle_.emplace(sql, stmt).second)
    return;
  sqlite3_finalize(stmt);
}

void SqliteConnection::fail(const std::string &what, int rc) const {
  std::string msg = db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
  if ((rc & 0xff) == SQLITE_CONSTRAINT)
    throw IntegrityError("database " + label_ + ": " + msg + " (in: " + what + ")");
  throw DatabaseError("database " + label_ + ": " + msg + " (in: " + what + ")");
}

SqliteStatement::SqliteStatement(SqliteConnection &conn, const std::string &sql)
    : conn_(conn), sql_(sql) {
  stmt_ = conn.take_cached(sql);
  if (stmt_)
    return;
  int rc = with_retry(
      [&] { return sqlite3_prepare_v2(conn.handle(), sql.c_str(), -1, &stmt_, nullptr); });
  if (rc != SQLITE_OK)
    conn.fail(sql, rc);
  count_prepared();
}

SqliteStatement::~SqliteStatement() {
  if (stmt_)
    conn_.give_back(sql_, stmt_);
}

void SqliteStatement::bind(const std::vector<Value> &params) {
  for (std::size_t i = 0; i < params.size(); ++i) {
    int idx = static_cast<int>(i + 1);
    const Value &v = params[i];
    int rc = SQLITE_OK;
    switch (v.kind()) {
    case Value::Kind::Null:
      rc = sqlite3_bind_null(stmt_, idx);
      break;
    case Value::Kind::Bool:
      rc = sqlite3_bind_int64(stmt_, idx, v.as_bool() ? 1 : 0);
      break;
    case Value::Kind::Integer:
      rc = sqlite3_bind_int64(stmt_, idx, v.as_int());
      break;
    case Value::Kind::Real:
      rc = sqlite3_bind_double(stmt_, idx, v.as_double());
      break;
    case Value::Kind::Text:
      rc = sqlite3_bind_text64(stmt_, idx, v.as_string().data(), v.as_string().size(),
                               SQLITE_TRANSIENT, SQLITE_UTF8);
      break;
    case Value::Kind::DateTime:
      rc = sqlite3_bind_int64(stmt_, idx, v.as_datetime().time_since_epoch().count());
      break;
    }
    if (rc != SQLITE_OK)
      conn_.fail(sql_, rc);
  }
}

bool SqliteStatement::step() {
  if (!started_) {
    started_ = true;
    count_statement();
  }
  auto deadline = retry_deadline();
  int rc = sqlite3_step(stmt_);
  // Retry a lock only before any row came back: the statement restarts from the beginning.
  if (!produced_) {
    rc = retry_until(
        rc,
        [&] {
          sqlite3_reset(stmt_);
          return sqlite3_step(stmt_);
        },
        deadline);
  }
  if (rc == SQLITE_ROW) {
    produced_ = true;
    return true;
  }
  if (rc == SQLITE_DONE)
    return false;
  conn_.fail(sql_, rc);
}

Value SqliteStatement::column(int i) const {
  switch (sqlite3_column_type(stmt_, i)) {
  case SQLITE_INTEGER:
    return Value(static_cast<std::int64_t>(sqlite3_column_int64(stmt_, i)));
  case SQLITE_FLOAT:
    return Value(sqlite3_column_double(stmt_, i));
  case SQLITE_NULL:
    return Value();
  default: {
    auto *p = reinterpret_cast<const char *>(sqlite3_column_text(stmt_, i));
    return Value(std::string(p, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, i))));
  }
  }
}

} // namespace

bool parse_url(std::string_view url, Target &out) {
  static std::atomic<unsigned> memory_counter{0};
  if (url == "sqlite::memory:") {
    out.target = "file:aorm-memory-" + std::to_string(::getpid()) + "-" +
                 std::to_string(++memory_counter) + "?mode=memory&cache=shared";
    out.label = ":memory:";
    out.uri = true;
    return true;
  }
  if (url.substr(0, 9) == "sqlite://" && url.size() > 9) {
    out.target = std::string(url.substr(9));
    while (out.target.rfind("//", 0) == 0) // sqlite:////abs/path.db is the same absolute path
      out.target.erase(0, 1);
    out.label = out.target;
    out.uri = false;
    return true;
  }
  return false;
}

std::unique_ptr<Connection> open(const Target &t, bool cursor) {
  return std::make_unique<SqliteConnection>(t, cursor);
}

sqlite3 *open_keeper(const Target &t) {
  if (!t.uri)
    return nullptr;
  sqlite3 *keeper = nullptr;
  int rc = sqlite3_open_v2(t.target.c_str(), &keeper,
                           SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_URI |
                               SQLITE_OPEN_SHAREDCACHE | SQLITE_OPEN_FULLMUTEX,
                           nullptr);
  if (rc != SQLITE_OK) {
    sqlite3_close_v2(keeper);
    throw DatabaseError("cannot open in-memory database: " + std::string(sqlite3_errstr(rc)));
  }
  return keeper;
}

void close_keeper(sqlite3 *keeper) {
  if (keeper)
    sqlite3_close_v2(keeper);
}

} // namespace aorm::detail::sqlite
