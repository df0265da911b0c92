// SQLite connections: the default database set by setup(), one connection per thread (worker
// threads each get their own), WAL mode and a bounded busy timeout for files, and a shared-cache
// URI for sqlite::memory: so every thread sees the same in-memory database.
#include "backend.hpp"

#include "aorm/db.hpp"

#include <sqlite3.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <thread>
#include <unistd.h>

namespace aorm {
namespace detail {
namespace {

constexpr int kBusyTimeoutMs = 5000;

std::atomic<std::uint64_t> g_statements{0};
std::atomic<std::uint64_t> g_connections{0};
std::atomic<std::uint64_t> g_rollbacks{0};
std::atomic<std::uint64_t> g_prepared{0};

struct Config {
  std::mutex mutex;
  std::string url;    // as given to setup(); empty when closed
  std::string target; // file path or shared-cache URI
  std::string label;  // for messages: the path, or ":memory:"
  bool uri = false;
  std::uint64_t generation = 0;
  sqlite3 *keeper = nullptr; // keeps an in-memory database alive between connections
};

Config &config() {
  static Config c;
  return c;
}

struct Local {
  std::uint64_t generation = ~0ull;
  std::shared_ptr<Connection> conn;
};
thread_local Local t_local;

// Idle private connections for cursors, of the current generation only.
struct CursorPool {
  std::mutex mutex;
  std::vector<std::unique_ptr<Connection>> idle;
};
CursorPool &cursor_pool() {
  static CursorPool p;
  return p;
}
void clear_cursor_pool() {
  std::vector<std::unique_ptr<Connection>> old;
  {
    std::lock_guard lock(cursor_pool().mutex);
    old.swap(cursor_pool().idle);
  }
}

// An a-method's work runs on a worker; when its loop was started inside atomic() (a nested
// aorm::run), the transaction's thread is blocked waiting for it while holding the write lock,
// so any statement would wait out the busy timeout. Fail at once and say why instead.
void refuse_inside_transaction() {
  if (t_offloaded_inside_transaction)
    throw DatabaseError(
        "aorm: an a-method was awaited inside aorm::atomic() (through a nested aorm::run): it runs "
        "on a worker thread, outside the transaction, and would wait for the lock the "
        "transaction holds; call the sync method inside atomic() instead");
}

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

} // namespace

Connection::Connection(std::string target, std::string label, bool uri, bool cursor)
    : label_(std::move(label)) {
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
  if (uri)
    flags |= SQLITE_OPEN_URI | SQLITE_OPEN_SHAREDCACHE;
  int rc = sqlite3_open_v2(target.c_str(), &db_, flags, nullptr);
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
  const char *setup_sql = uri ? (cursor ? "PRAGMA foreign_keys = ON; PRAGMA read_uncommitted = 1;"
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
  ++g_connections;
}

Connection::~Connection() {
  for (auto &[sql, stmt] : idle_)
    sqlite3_finalize(stmt);
  if (db_)
    sqlite3_close_v2(db_);
}

sqlite3_stmt *Connection::take_cached(const std::string &sql) {
  auto it = idle_.find(sql);
  if (it == idle_.end())
    return nullptr; // none, or the only one is in use (a nested query with the same text)
  sqlite3_stmt *stmt = it->second;
  idle_.erase(it);
  return stmt;
}

void Connection::give_back(const std::string &sql, sqlite3_stmt *stmt) {
  constexpr std::size_t kMaxCached = 128;
  sqlite3_reset(stmt);
  sqlite3_clear_bindings(stmt);
  if (idle_.size() < kMaxCached && idle_.emplace(sql, stmt).second)
    return;
  sqlite3_finalize(stmt);
}

void Connection::fail(const std::string &what, int rc) const {
  std::string msg = db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
  if ((rc & 0xff) == SQLITE_CONSTRAINT)
    throw IntegrityError("database " + label_ + ": " + msg + " (in: " + what + ")");
  throw DatabaseError("database " + label_ + ": " + msg + " (in: " + what + ")");
}

std::int64_t Connection::changes() const { return sqlite3_changes64(db_); }
std::int64_t Connection::last_insert_id() const { return sqlite3_last_insert_rowid(db_); }

Connection &connection() {
  refuse_inside_transaction();
  auto &c = config();
  std::string target, label;
  bool uri = false;
  std::uint64_t generation = 0;
  {
    std::lock_guard lock(c.mutex);
    if (c.url.empty())
      throw DatabaseError(c.generation == 0
                              ? "no database: call aorm::setup(\"sqlite:///path.db\") first"
                              : "the database is closed (aorm::close() was called); call "
                                "aorm::setup() to open one");
    generation = c.generation;
    if (t_local.conn && t_local.generation == generation)
      return *t_local.conn;
    target = c.target;
    label = c.label;
    uri = c.uri;
  }
  t_local.conn.reset();
  t_local.conn = std::make_shared<Connection>(target, label, uri);
  t_local.conn->generation = generation;
  t_local.generation = generation;
  return *t_local.conn;
}

bool thread_in_transaction() noexcept {
  return t_local.conn && t_local.generation == t_local.conn->generation && t_local.conn->depth > 0;
}

std::shared_ptr<Connection> cursor_connection() {
  refuse_inside_transaction();
  Connection &own = connection(); // also reports a closed or missing database
  if (own.depth > 0)
    return t_local.conn;
  auto &c = config();
  std::string target, label;
  bool uri = false;
  std::uint64_t generation = 0;
  {
    std::lock_guard lock(c.mutex);
    target = c.target;
    label = c.label;
    uri = c.uri;
    generation = c.generation;
  }
  std::unique_ptr<Connection> conn;
  {
    std::lock_guard lock(cursor_pool().mutex);
    auto &idle = cursor_pool().idle;
    while (!idle.empty() && !conn) {
      if (idle.back()->generation == generation)
        conn = std::move(idle.back());
      idle.pop_back();
    }
  }
  if (!conn) {
    conn = std::make_unique<Connection>(target, label, uri, true);
    conn->generation = generation;
  }
  return std::shared_ptr<Connection>(conn.release(), [](Connection *p) {
    std::unique_ptr<Connection> back(p);
    std::uint64_t current = 0;
    {
      std::lock_guard lock(config().mutex);
      current = config().generation;
    }
    std::lock_guard lock(cursor_pool().mutex);
    if (back->generation == current && cursor_pool().idle.size() < 4)
      cursor_pool().idle.push_back(std::move(back));
  });
}

Cursor::Cursor(std::shared_ptr<Connection> conn, const std::string &sql,
               const std::vector<Value> &params)
    : conn_(std::move(conn)), st_(*conn_, sql) {
  st_.bind(params);
}

Statement::Statement(Connection &conn, const std::string &sql) : conn_(conn), sql_(sql) {
  stmt_ = conn.take_cached(sql);
  if (stmt_)
    return;
  int rc = with_retry(
      [&] { return sqlite3_prepare_v2(conn.handle(), sql.c_str(), -1, &stmt_, nullptr); });
  if (rc != SQLITE_OK)
    conn.fail(sql, rc);
  ++g_prepared;
}

Statement::~Statement() {
  if (stmt_)
    conn_.give_back(sql_, stmt_);
}

void Statement::bind(const std::vector<Value> &params) {
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

bool Statement::step() {
  if (!started_) {
    started_ = true;
    ++g_statements;
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

int Statement::columns() const { return sqlite3_column_count(stmt_); }

std::string Statement::column_name(int i) const {
  const char *name = sqlite3_column_name(stmt_, i);
  return name ? name : "";
}

Value Statement::column(int i) const {
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

void execute_on(Connection &conn, const std::string &sql, const std::vector<Value> &params,
                const std::function<void(Statement &)> &on_row) {
  Statement st(conn, sql);
  st.bind(params);
  while (st.step())
    if (on_row)
      on_row(st);
}

void execute(const std::string &sql, const std::vector<Value> &params,
             const std::function<void(Statement &)> &on_row) {
  Statement st(connection(), sql);
  st.bind(params);
  while (st.step())
    if (on_row)
      on_row(st);
}

void count_rollback() { ++g_rollbacks; }

Transaction::Transaction() {
  Connection &c = connection();
  depth_ = c.depth;
  execute(depth_ == 0 ? "BEGIN IMMEDIATE" : "SAVEPOINT aorm_" + std::to_string(depth_));
  c.depth = depth_ + 1;
}

void Transaction::commit() {
  Connection &c = connection();
  execute(depth_ == 0 ? "COMMIT" : "RELEASE aorm_" + std::to_string(depth_));
  c.depth = depth_;
  done_ = true;
}

Transaction::~Transaction() {
  if (done_)
    return;
  try {
    Connection &c = connection();
    c.depth = depth_;
    if (depth_ == 0) {
      execute("ROLLBACK");
    } else {
      std::string name = "aorm_" + std::to_string(depth_);
      execute("ROLLBACK TO " + name);
      execute("RELEASE " + name);
    }
    count_rollback();
  } catch (...) {
    // The connection is gone (closed or reopened): its transaction went with it.
  }
}

} // namespace detail

void setup(std::string_view url) {
  std::string target, label;
  bool uri = false;
  static std::atomic<unsigned> memory_counter{0};
  if (url == "sqlite::memory:") {
    target = "file:aorm-memory-" + std::to_string(::getpid()) + "-" +
             std::to_string(++memory_counter) + "?mode=memory&cache=shared";
    label = ":memory:";
    uri = true;
  } else if (url.substr(0, 9) == "sqlite://" && url.size() > 9) {
    target = std::string(url.substr(9));
    while (target.rfind("//", 0) == 0) // sqlite:////abs/path.db is the same absolute path
      target.erase(0, 1);
    label = target;
  } else {
    throw DatabaseError("unsupported database URL '" + std::string(url) +
                        "': expected sqlite:///absolute/path.db, sqlite://relative/path.db or "
                        "sqlite::memory:");
  }
  auto &c = detail::config();
  sqlite3 *keeper = nullptr;
  if (uri) {
    int rc = sqlite3_open_v2(target.c_str(), &keeper,
                             SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_URI |
                                 SQLITE_OPEN_SHAREDCACHE | SQLITE_OPEN_FULLMUTEX,
                             nullptr);
    if (rc != SQLITE_OK) {
      sqlite3_close_v2(keeper);
      throw DatabaseError("cannot open in-memory database: " + std::string(sqlite3_errstr(rc)));
    }
  }
  sqlite3 *old = nullptr;
  {
    std::lock_guard lock(c.mutex);
    old = c.keeper;
    c.url = std::string(url);
    c.target = target;
    c.label = label;
    c.uri = uri;
    c.keeper = keeper;
    ++c.generation;
  }
  detail::t_local.conn.reset();
  detail::clear_cursor_pool();
  if (old)
    sqlite3_close_v2(old);
}

void close() {
  auto &c = detail::config();
  sqlite3 *old = nullptr;
  {
    std::lock_guard lock(c.mutex);
    old = c.keeper;
    c.keeper = nullptr;
    c.url.clear();
    ++c.generation;
  }
  detail::t_local.conn.reset();
  detail::clear_cursor_pool();
  if (old)
    sqlite3_close_v2(old);
}

std::string database_url() {
  auto &c = detail::config();
  std::lock_guard lock(c.mutex);
  return c.url;
}

DbStats db_stats() {
  return DbStats{detail::g_statements.load(), detail::g_connections.load(),
                 detail::g_rollbacks.load(), detail::g_prepared.load()};
}

void reset_db_stats() {
  detail::g_statements = 0;
  detail::g_connections = 0;
  detail::g_rollbacks = 0;
  detail::g_prepared = 0;
}

} // namespace aorm
