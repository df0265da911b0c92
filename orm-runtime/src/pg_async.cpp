// PostgreSQL on the event loop: non-blocking libpq connections, their pool, and the replay that
// runs a sync terminal's code on the loop thread with its queries awaited on the socket.
#include "pg_async.hpp"

#include "backend.hpp"

#include "aorm/async.hpp"
#include "aorm/errors.hpp"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <optional>

namespace aorm::detail {
namespace pg {
namespace {

constexpr std::size_t kMaxPrepared = 256;

std::string where_of(PGconn *conn) {
  if (!conn)
    return "?";
  const char *host = PQhost(conn), *port = PQport(conn), *db = PQdb(conn);
  std::string out = host && *host ? host : "localhost";
  out += ":" + std::string(port && *port ? port : "5432");
  if (db && *db)
    out += "/" + std::string(db);
  return out;
}

std::string trimmed(const char *msg) {
  std::string s = msg ? msg : "";
  while (!s.empty() && (s.back() == '\n' || s.back() == ' '))
    s.pop_back();
  return s;
}

// How long acquire() waits for a busy pool: env AORM_PG_POOL_TIMEOUT_MS, default 30 s.
std::chrono::milliseconds pool_timeout() {
  if (const char *env = std::getenv("AORM_PG_POOL_TIMEOUT_MS")) {
    char *end = nullptr;
    long n = std::strtol(env, &end, 10);
    if (end == env || *end != '\0' || n <= 0)
      throw Error(std::string("aorm: AORM_PG_POOL_TIMEOUT_MS must be a positive number of "
                              "milliseconds, got '") + env + "'");
    return std::chrono::milliseconds(n);
  }
  return std::chrono::seconds(30);
}

} // namespace

AsyncConn::AsyncConn(PGconn *conn) : conn_(conn), label_(where_of(conn)) {}

AsyncConn::~AsyncConn() {
  if (!conn_)
    return;
  if (auto *loop = EventLoop::current())
    loop->forget_fd(PQsocket(conn_));
  PQfinish(conn_);
}

int AsyncConn::socket() const noexcept { return PQsocket(conn_); }

bool AsyncConn::broken() const noexcept { return !conn_ || PQstatus(conn_) == CONNECTION_BAD; }

bool AsyncConn::in_transaction() const noexcept {
  return conn_ && !in_flight_ && PQtransactionStatus(conn_) != PQTRANS_IDLE;
}

void AsyncConn::cancel() noexcept {
  if (PGcancel *c = PQgetCancel(conn_)) {
    char err[256];
    PQcancel(c, err, sizeof err);
    PQfreeCancel(c);
  }
}

Task<std::unique_ptr<AsyncConn>> AsyncConn::open(std::string conninfo) {
  PGconn *raw = PQconnectStart(conninfo.c_str());
  if (!raw)
    throw DatabaseError("cannot connect to PostgreSQL: out of memory");
  std::unique_ptr<AsyncConn> conn(new AsyncConn(raw));
  if (PQstatus(raw) == CONNECTION_BAD)
    throw DatabaseError("cannot connect to PostgreSQL at " + where_of(raw) + ": " +
                        trimmed(PQerrorMessage(raw)));
  // libpq's connect state machine: wait for what it asks for, then poll again.
  for (;;) {
    PostgresPollingStatusType st = PQconnectPoll(raw);
    if (st == PGRES_POLLING_OK)
      break;
    if (st == PGRES_POLLING_FAILED)
      throw DatabaseError("cannot connect to PostgreSQL at " + where_of(raw) + ": " +
                          trimmed(PQerrorMessage(raw)));
    if (st == PGRES_POLLING_READING)
      co_await readable(PQsocket(raw));
    else
      co_await writable(PQsocket(raw));
  }
  conn->label_ = where_of(raw);
  if (PQsetnonblocking(raw, 1) != 0)
    throw DatabaseError("database " + conn->label_ + ": cannot switch to non-blocking mode: " +
                        trimmed(PQerrorMessage(raw)));
  if (!PQsendQuery(raw, kSessionSql))
    throw_error(nullptr, raw, conn->label_, kSessionSql);
  co_await conn->finish(kSessionSql);
  count_connection();
  co_return conn;
}

Task<Result> AsyncConn::query(std::string sql, std::vector<Value> values) {
  Params p(values);
  std::string key = p.cache_key(sql);
  auto it = prepared_.find(key);
  if (it == prepared_.end() && prepared_.size() < kMaxPrepared) {
    std::string name = "aorm_a" + std::to_string(++next_id_);
    if (!PQsendPrepare(conn_, name.c_str(), sql.c_str(), p.count(), p.types()))
      throw_error(nullptr, conn_, label_, sql);
    co_await finish(sql);
    it = prepared_.emplace(key, std::move(name)).first;
    count_prepared();
  }
  count_statement();
  int sent = it != prepared_.end()
                 ? PQsendQueryPrepared(conn_, it->second.c_str(), p.count(), p.values(), nullptr,
                                       nullptr, 0)
                 : PQsendQueryParams(conn_, sql.c_str(), p.count(), p.types(), p.values(), nullptr,
                                     nullptr, 0);
  if (!sent)
    throw_error(nullptr, conn_, label_, sql);
  co_return co_await finish(sql);
}

// Flushes what was sent, then reads every result of the command; the last one is returned, the
// first failed one thrown.
Task<Result> AsyncConn::finish(const std::string &sql) {
  in_flight_ = true;
  for (;;) {
    int f = PQflush(conn_);
    if (f == 0)
      break;
    if (f < 0)
      throw_error(nullptr, conn_, label_, sql);
    // libpq asks to wait until the socket takes more; read what the server sent meanwhile.
    co_await writable(socket());
    if (!PQconsumeInput(conn_))
      throw_error(nullptr, conn_, label_, sql);
  }
  Result last, failed;
  for (;;) {
    while (PQisBusy(conn_)) {
      co_await readable(socket());
      if (!PQconsumeInput(conn_))
        throw_error(nullptr, conn_, label_, sql);
    }
    Result r(PQgetResult(conn_));
    if (!r)
      break;
    if (!succeeded(r.get())) {
      if (!failed)
        failed = std::move(r);
    } else {
      last = std::move(r);
    }
  }
  in_flight_ = false;
  if (failed)
    throw_error(failed.get(), conn_, label_, sql);
  co_return last;
}

// ---- the pool ----

struct Pool::Waiter {
  std::unique_ptr<AsyncConn> granted;
  bool woken = false; // a connection was given back or dropped: try again
  EventLoop *loop = nullptr;
  std::coroutine_handle<> handle;
  std::uint64_t timer = 0;
};

namespace {
// Queues the coroutine until the pool wakes it or the deadline passes.
struct WaitTurn {
  Pool::Waiter &w;
  std::deque<Pool::Waiter *> &queue;
  EventLoop::Clock::time_point deadline;
  bool await_ready() const noexcept { return false; }
  void await_suspend(std::coroutine_handle<> h) {
    w.loop = EventLoop::current();
    if (!w.loop)
      throw Error("aorm: a PostgreSQL a-method awaited outside aorm::run()");
    w.handle = h;
    w.timer = w.loop->schedule_at(deadline, h);
    queue.push_back(&w);
  }
  void await_resume() noexcept {
    auto it = std::find(queue.begin(), queue.end(), &w);
    if (it != queue.end())
      queue.erase(it); // the deadline passed
    if (w.timer)
      w.loop->cancel_timer(w.timer);
    w.timer = 0;
  }
  ~WaitTurn() { await_resume(); } // a destroyed waiting task leaves the queue
};
} // namespace

Pool::Pool(std::string conninfo, std::size_t size)
    : conninfo_(std::move(conninfo)), size_(size ? size : 1) {}

Pool::~Pool() = default;

Task<Lease> Pool::acquire() {
  auto deadline = EventLoop::Clock::now() + pool_timeout();
  auto self = shared_from_this();
  for (;;) {
    if (!idle_.empty()) {
      auto conn = std::move(idle_.back());
      idle_.pop_back();
      co_return Lease(self, std::move(conn));
    }
    if (open_ < size_) {
      ++open_;
      std::unique_ptr<AsyncConn> conn;
      std::exception_ptr error;
      try {
        conn = co_await AsyncConn::open(conninfo_);
      } catch (...) {
        error = std::current_exception();
      }
      if (error) {
        give_back(nullptr, true);
        std::rethrow_exception(error);
      }
      label_ = conn->label();
      co_return Lease(self, std::move(conn));
    }
    Waiter w;
    co_await WaitTurn{w, waiters_, deadline};
    if (w.granted)
      co_return Lease(self, std::move(w.granted));
    if (!w.woken)
      throw DatabaseError("aorm: all " + std::to_string(size_) +
                          " connections of the PostgreSQL pool for " + label_ +
                          " stayed busy for " + std::to_string(pool_timeout().count()) +
                          " ms (set pool_size=N in the database URL for more, or "
                          "AORM_PG_POOL_TIMEOUT_MS to wait longer)");
  }
}

void Pool::give_back(std::unique_ptr<AsyncConn> conn, bool drop) noexcept {
  if (drop || !conn) {
    conn.reset();
    --open_;
  }
  if (waiters_.empty()) {
    if (conn)
      idle_.push_back(std::move(conn));
    return;
  }
  Waiter *w = waiters_.front();
  waiters_.pop_front();
  w->granted = std::move(conn); // none when dropped: the waiter opens a new one
  w->woken = true;
  if (w->timer)
    w->loop->cancel_timer(std::exchange(w->timer, 0));
  w->loop->schedule(w->handle);
}

Lease::Lease(std::shared_ptr<Pool> pool, std::unique_ptr<AsyncConn> conn)
    : pool_(std::move(pool)), conn_(std::move(conn)) {}

Lease &Lease::operator=(Lease &&other) noexcept {
  if (this != &other) {
    give_back();
    pool_ = std::move(other.pool_);
    conn_ = std::move(other.conn_);
  }
  return *this;
}

Lease::~Lease() { give_back(); }

void Lease::give_back() noexcept {
  if (!conn_ || !pool_)
    return;
  // Also dropped: one left inside a transaction (a terminal's own BEGIN whose ROLLBACK a
  // replayed destructor could not run), which would poison the next user.
  bool drop = conn_->broken() || conn_->in_flight() || conn_->in_transaction();
  if (conn_->in_flight() && !conn_->broken())
    conn_->cancel(); // the server stops the query; the connection is dropped all the same
  pool_->give_back(std::move(conn_), drop);
  pool_.reset();
}

std::shared_ptr<Pool> thread_pool() {
  thread_local std::uint64_t generation = ~0ull;
  thread_local std::shared_ptr<Pool> pool;
  Target target;
  std::uint64_t current = 0;
  if (!postgres_target(target, current))
    throw DatabaseError("internal: a PostgreSQL pool asked for while the database is not "
                        "PostgreSQL");
  if (!pool || generation != current) {
    pool = std::make_shared<Pool>(target.conninfo, target.pool_size);
    generation = current;
  }
  return pool;
}

} // namespace pg

// ---- the replay: a terminal's sync code on the loop thread, its queries awaited ----

namespace {

// Rows of a result the replay keeps (later passes read it again).
class ViewRows final : public Statement {
public:
  explicit ViewRows(const PGresult *r) : res_(r), rows_(r ? PQntuples(r) : 0) {}
  bool step() override { return ++row_ < rows_; }
  int columns() const override { return res_ ? PQnfields(res_) : 0; }
  std::string column_name(int i) const override {
    const char *n = res_ ? PQfname(res_, i) : nullptr;
    return n ? n : "";
  }
  Value column(int i) const override { return pg::cell(res_, row_, i); }

private:
  const PGresult *res_;
  int rows_ = 0;
  int row_ = -1;
};

} // namespace

class NativeReplay final : public Connection {
public:
  std::unique_ptr<Statement> query(const std::string &sql,
                                   const std::vector<Value> &params) override {
    if (next_ < done_.size()) {
      auto &d = done_[next_++];
      // A terminal is a function of its query results: the same queries come again, in order.
      if (d.sql != sql || d.params != params)
        throw Error("aorm: internal: a PostgreSQL a-method's terminal asked for a different query "
                    "when replayed (" + sql + " where it ran " + d.sql + ")");
      changes_ = pg::affected_rows(d.result.get());
      return std::make_unique<ViewRows>(d.result.get());
    }
    if (!pending_) {
      pending_.emplace(Pending{sql, params});
      throw NeedQuery{};
    }
    // Unwinding after NeedQuery (a transaction's rollback in a destructor): nothing to run.
    changes_ = 0;
    return std::make_unique<ViewRows>(nullptr);
  }
  std::int64_t changes() const override { return changes_; }
  std::int64_t last_insert_id() const override {
    throw DatabaseError("internal: last_insert_id() on PostgreSQL (ids come from RETURNING)");
  }
  const std::string &label() const override { return label_; }

  void start_pass() {
    next_ = 0;
    depth = 0;
    pending_.reset();
  }
  Task<void> run_pending() {
    if (!lease_) {
      auto pool = pg::thread_pool();
      lease_ = co_await pool->acquire();
      label_ = lease_.conn().label();
    }
    Pending p = std::move(*pending_);
    pending_.reset();
    pg::Result r = co_await lease_.conn().query(p.sql, p.params);
    done_.push_back(Done{std::move(p.sql), std::move(p.params), std::move(r)});
  }

private:
  struct Pending {
    std::string sql;
    std::vector<Value> params;
  };
  struct Done {
    std::string sql;
    std::vector<Value> params;
    pg::Result result;
  };
  std::vector<Done> done_;
  std::size_t next_ = 0;
  std::optional<Pending> pending_;
  std::int64_t changes_ = 0;
  std::string label_ = "PostgreSQL";
  pg::Lease lease_;
};

bool native_async() noexcept { return current_backend() == Backend::Postgres; }

std::shared_ptr<NativeReplay> new_replay() { return std::make_shared<NativeReplay>(); }

ReplayScope::ReplayScope(NativeReplay &r)
    : previous_conn_(t_connection_override), previous_replaying_(t_native_replay) {
  r.start_pass();
  t_connection_override = &r;
  t_native_replay = true;
}

ReplayScope::~ReplayScope() {
  t_connection_override = static_cast<Connection *>(previous_conn_);
  t_native_replay = previous_replaying_;
}

Task<void> run_pending(NativeReplay &r) { return r.run_pending(); }

} // namespace aorm::detail
