// PostgreSQL without blocking (private to the library): connections in libpq's non-blocking mode
// driven by the event loop (the loop waits on PQsocket), a pool of them per loop thread, and the
// replay that lets a sync terminal's code run on the loop thread while its queries are awaited.
#pragma once

#include "aorm/loop.hpp"
#include "aorm/task.hpp"
#include "aorm/value.hpp"
#include "pg_connection.hpp"

#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

namespace aorm::detail::pg {

// One connection, opened without blocking (PQconnectStart/PQconnectPoll), queries sent with
// PQsendQueryPrepared (prepared once per connection and SQL text) and read as the socket becomes
// readable.
class AsyncConn {
public:
  static Task<std::unique_ptr<AsyncConn>> open(std::string conninfo);
  ~AsyncConn();
  AsyncConn(const AsyncConn &) = delete;
  AsyncConn &operator=(const AsyncConn &) = delete;

  // Runs sql with params; the finished result, or the runtime's error for a failed one.
  Task<Result> query(std::string sql, std::vector<Value> params);

  const std::string &label() const noexcept { return label_; }
  bool broken() const noexcept;
  // A query was sent and its results are not all read (the awaiting task was destroyed midway).
  bool in_flight() const noexcept { return in_flight_; }
  // A transaction is open on it (BEGIN without COMMIT/ROLLBACK, or one that failed).
  bool in_transaction() const noexcept;
  // Asks the server to stop the running query (a blocking round trip of libpq's cancel request).
  void cancel() noexcept;

private:
  explicit AsyncConn(PGconn *conn);
  Task<Result> finish(const std::string &sql);
  int socket() const noexcept;

  PGconn *conn_ = nullptr;
  std::string label_;
  std::unordered_map<std::string, std::string> prepared_;
  std::size_t next_id_ = 0;
  bool in_flight_ = false;
};

class Pool;

// A connection taken from the pool; going out of scope gives it back, or drops it when it broke or
// still has a query in flight.
class Lease {
public:
  Lease() = default;
  Lease(std::shared_ptr<Pool> pool, std::unique_ptr<AsyncConn> conn);
  Lease(Lease &&) noexcept = default;
  Lease &operator=(Lease &&other) noexcept;
  ~Lease();
  AsyncConn &conn() const noexcept { return *conn_; }
  explicit operator bool() const noexcept { return conn_ != nullptr; }

private:
  void give_back() noexcept;
  std::shared_ptr<Pool> pool_;
  std::unique_ptr<AsyncConn> conn_;
};

// Up to `size` connections for the coroutines of one loop thread; when all are busy, acquire()
// queues (first come, first served) until one comes back or the timeout passes.
class Pool : public std::enable_shared_from_this<Pool> {
public:
  Pool(std::string conninfo, std::size_t size);
  ~Pool();
  Task<Lease> acquire();
  void give_back(std::unique_ptr<AsyncConn> conn, bool drop) noexcept;

  std::size_t size() const noexcept { return size_; }
  std::size_t open() const noexcept { return open_; }

  struct Waiter;

private:
  std::string conninfo_;
  std::string label_ = "PostgreSQL"; // host:port/database once a connection opened (no password)
  std::size_t size_;
  std::size_t open_ = 0; // connected or connecting
  std::vector<std::unique_ptr<AsyncConn>> idle_;
  std::deque<Waiter *> waiters_;
};

// The current default database's PostgreSQL target and setup() generation; false when it is not
// PostgreSQL (defined with the configuration in backend.cpp).
bool postgres_target(Target &out, std::uint64_t &generation);

// The pool of the calling thread for the current default database (PostgreSQL only).
std::shared_ptr<Pool> thread_pool();

} // namespace aorm::detail::pg
