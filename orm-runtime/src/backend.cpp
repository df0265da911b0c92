// The default database set by setup() and the connections to it: one per thread (worker threads
// each get their own), opened on first use from the backend the URL names, replaced when a
// setup() or close() made it stale or the server dropped it. Also transactions and the counters.
#include "backend.hpp"

#include "pg_async.hpp"
#include "pg_backend.hpp"
#include "sqlite_backend.hpp"

#include "aorm/db.hpp"

#include <atomic>
#include <memory>
#include <mutex>

namespace aorm {
namespace detail {
namespace {

std::atomic<std::uint64_t> g_statements{0};
std::atomic<std::uint64_t> g_connections{0};
std::atomic<std::uint64_t> g_rollbacks{0};
std::atomic<std::uint64_t> g_prepared{0};
std::atomic<std::uint64_t> g_serials{0};
std::atomic<Backend> g_backend{Backend::Sqlite};

struct Config {
  std::mutex mutex;
  std::string url; // as given to setup(); empty when closed
  Backend backend = Backend::Sqlite;
  sqlite::Target sqlite;
  pg::Target pg;
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

// Idle private SQLite connections for cursors, of the current generation only.
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

// What a new connection needs, copied under the lock (opening happens outside it).
struct Snapshot {
  Backend backend;
  sqlite::Target sqlite;
  pg::Target pg;
  std::uint64_t generation;
};

std::unique_ptr<Connection> open_from(const Snapshot &s, bool cursor) {
  if (s.backend == Backend::Postgres)
    return pg::open(s.pg);
  return sqlite::open(s.sqlite, cursor);
}

} // namespace

std::uint64_t Connection::next_serial() noexcept { return ++g_serials; }

Backend current_backend() noexcept { return g_backend.load(std::memory_order_relaxed); }

void count_statement() noexcept { ++g_statements; }
void count_connection() noexcept { ++g_connections; }
void count_prepared() noexcept { ++g_prepared; }
void count_rollback() noexcept { ++g_rollbacks; }

Connection &connection() {
  if (t_connection_override)
    return *t_connection_override;
  refuse_inside_transaction();
  auto &c = config();
  Snapshot s;
  {
    std::lock_guard lock(c.mutex);
    if (c.url.empty())
      throw DatabaseError(c.generation == 0
                              ? "no database: call aorm::setup(\"sqlite:///path.db\") first"
                              : "the database is closed (aorm::close() was called); call "
                                "aorm::setup() to open one");
    if (t_local.conn && t_local.generation == c.generation && !t_local.conn->broken())
      return *t_local.conn;
    s = Snapshot{c.backend, c.sqlite, c.pg, c.generation};
  }
  t_local.conn.reset(); // stale, or dropped by the server: its transaction went with it
  t_local.conn = open_from(s, false);
  t_local.conn->generation = s.generation;
  t_local.generation = s.generation;
  return *t_local.conn;
}

bool pg::postgres_target(pg::Target &out, std::uint64_t &generation) {
  auto &c = config();
  std::lock_guard lock(c.mutex);
  if (c.url.empty() || c.backend != Backend::Postgres)
    return false;
  out = c.pg;
  generation = c.generation;
  return true;
}

bool thread_in_transaction() noexcept {
  return t_local.conn && t_local.generation == t_local.conn->generation && t_local.conn->depth > 0;
}

std::shared_ptr<Connection> cursor_connection() {
  refuse_inside_transaction();
  Connection &own = connection(); // also reports a closed or missing database
  if (own.depth > 0 || current_backend() == Backend::Postgres)
    return t_local.conn;
  auto &c = config();
  Snapshot s;
  {
    std::lock_guard lock(c.mutex);
    s = Snapshot{c.backend, c.sqlite, c.pg, c.generation};
  }
  std::unique_ptr<Connection> conn;
  {
    std::lock_guard lock(cursor_pool().mutex);
    auto &idle = cursor_pool().idle;
    while (!idle.empty() && !conn) {
      if (idle.back()->generation == s.generation)
        conn = std::move(idle.back());
      idle.pop_back();
    }
  }
  if (!conn) {
    conn = open_from(s, true);
    conn->generation = s.generation;
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
    : conn_(std::move(conn)), st_(conn_->query(sql, params)) {}

void execute_on(Connection &conn, const std::string &sql, const std::vector<Value> &params,
                const std::function<void(Statement &)> &on_row) {
  auto st = conn.query(sql, params);
  while (st->step())
    if (on_row)
      on_row(*st);
}

void execute(const std::string &sql, const std::vector<Value> &params,
             const std::function<void(Statement &)> &on_row) {
  execute_on(connection(), sql, params, on_row);
}

Transaction::Transaction() {
  Connection &c = connection();
  depth_ = c.depth;
  conn_ = c.serial;
  execute(depth_ > 0                              ? "SAVEPOINT aorm_" + std::to_string(depth_)
          : current_backend() == Backend::Postgres ? std::string("BEGIN")
                                                   : std::string("BEGIN IMMEDIATE"));
  c.depth = depth_ + 1;
}

void Transaction::commit() {
  Connection &c = connection();
  if (c.serial != conn_)
    throw DatabaseError("the connection to " + c.label() +
                        " was lost inside a transaction: the transaction was rolled back by the "
                        "server, nothing of it was committed");
  execute(depth_ == 0 ? "COMMIT" : "RELEASE SAVEPOINT aorm_" + std::to_string(depth_));
  c.depth = depth_;
  done_ = true;
}

Transaction::~Transaction() {
  if (done_)
    return;
  // Closed, replaced by setup(), or dropped by the server: the transaction went with it.
  if (!t_local.conn || t_local.conn->serial != conn_ || t_local.conn->broken())
    return;
  try {
    Connection &c = *t_local.conn;
    c.depth = depth_;
    if (depth_ == 0) {
      execute("ROLLBACK");
    } else {
      std::string name = "aorm_" + std::to_string(depth_);
      execute("ROLLBACK TO SAVEPOINT " + name);
      execute("RELEASE SAVEPOINT " + name);
    }
    count_rollback();
  } catch (...) {
    // The connection is gone (closed or reopened): its transaction went with it.
  }
}

} // namespace detail

void setup(std::string_view url) {
  detail::sqlite::Target sqlite_target;
  detail::pg::Target pg_target;
  detail::Backend backend = detail::Backend::Sqlite;
  if (detail::sqlite::parse_url(url, sqlite_target)) {
    backend = detail::Backend::Sqlite;
  } else if (detail::pg::parse_url(url, pg_target)) {
    backend = detail::Backend::Postgres;
  } else {
    throw DatabaseError("unsupported database URL '" + std::string(url) +
                        "': expected sqlite:///absolute/path.db, sqlite://relative/path.db, "
                        "sqlite::memory:, postgresql://[user[:password]@][host][:port][/db][?...] "
                        "or a libpq keyword string (host=... dbname=...)");
  }
  auto &c = detail::config();
  sqlite3 *keeper =
      backend == detail::Backend::Sqlite ? detail::sqlite::open_keeper(sqlite_target) : nullptr;
  sqlite3 *old = nullptr;
  {
    std::lock_guard lock(c.mutex);
    old = c.keeper;
    c.url = std::string(url);
    c.backend = backend;
    c.sqlite = sqlite_target;
    c.pg = pg_target;
    c.keeper = keeper;
    ++c.generation;
    detail::g_backend = backend;
  }
  detail::t_local.conn.reset();
  detail::clear_cursor_pool();
  detail::sqlite::close_keeper(old);
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
  detail::sqlite::close_keeper(old);
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
