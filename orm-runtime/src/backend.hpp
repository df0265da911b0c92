// The backend seam (private to the library): what the runtime needs from a database connection,
// implemented for SQLite (sqlite_backend.cpp) and PostgreSQL (pg_backend.cpp). The default
// database set by setup(), one connection per thread, the statement counters and transactions
// live in backend.cpp and are the same for both.
#pragma once

#include "aorm/value.hpp"

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace aorm::detail {

enum class Backend { Sqlite, Postgres };

// The backend of the current default database (SQLite when none is set).
Backend current_backend() noexcept;

// One query's result rows, read one at a time.
class Statement {
public:
  virtual ~Statement() = default;
  // Advances to the next row; false when done. Throws DatabaseError naming the database.
  virtual bool step() = 0;
  virtual int columns() const = 0;
  virtual std::string column_name(int i) const = 0;
  // The current row's value: NULL, integer, real or text; PostgreSQL also gives bool and DateTime
  // for columns of those types.
  virtual Value column(int i) const = 0;
};

class Connection {
public:
  virtual ~Connection() = default;
  // Binds params to sql (prepared once per connection and SQL text, then reused) and returns its
  // rows. SQLite runs the statement on the first step(); PostgreSQL runs it here. Every value
  // travels as a bound parameter, never in the SQL text.
  virtual std::unique_ptr<Statement> query(const std::string &sql,
                                           const std::vector<Value> &params) = 0;
  // Rows changed by the last INSERT/UPDATE/DELETE on this connection.
  virtual std::int64_t changes() const = 0;
  // SQLite's rowid of the last INSERT; PostgreSQL reads ids with RETURNING instead.
  virtual std::int64_t last_insert_id() const = 0;
  // The connection is unusable (PostgreSQL: the server went away); connection() replaces it.
  virtual bool broken() const { return false; }
  // For messages: the file path, ":memory:", or PostgreSQL's host:port/database.
  virtual const std::string &label() const = 0;

  int depth = 0;                // open transaction/savepoint levels
  std::uint64_t generation = 0; // of the setup() this connection belongs to
  const std::uint64_t serial = next_serial(); // tells a reopened connection from the old one

private:
  static std::uint64_t next_serial() noexcept;
};

// This thread's connection to the default database (opened on first use, reopened when broken).
Connection &connection();
// While set, connection() on this thread returns it: a PostgreSQL a-method's replay (pg_async.cpp).
inline thread_local Connection *t_connection_override = nullptr;

// A connection for one streaming cursor (iterator/aiterator): this thread's own when it is inside
// a transaction (so the cursor sees the transaction's writes), else on SQLite a private one from a
// small pool, so the rows the caller writes meanwhile commit at once and the cursor keeps its
// snapshot. PostgreSQL reads a query's whole result at once, so it uses the thread's connection.
// A private one may be used by one thread at a time, from any thread.
std::shared_ptr<Connection> cursor_connection();

// One query streamed row by row: a single statement, stepped as the caller asks for rows.
class Cursor {
public:
  Cursor(std::shared_ptr<Connection> conn, const std::string &sql,
         const std::vector<Value> &params);
  bool step() { return st_->step(); }
  Statement &statement() { return *st_; }

private:
  std::shared_ptr<Connection> conn_; // outlives st_
  std::unique_ptr<Statement> st_;
};

// Executes sql with params on this thread's connection and calls on_row for each result row.
void execute(const std::string &sql, const std::vector<Value> &params = {},
             const std::function<void(Statement &)> &on_row = {});

// The same on a given connection (a cursor's private one).
void execute_on(Connection &conn, const std::string &sql, const std::vector<Value> &params = {},
                const std::function<void(Statement &)> &on_row = {});

// The counters behind aorm::db_stats(), bumped by the backends.
void count_statement() noexcept;
void count_connection() noexcept;
void count_prepared() noexcept;
void count_rollback() noexcept;

} // namespace aorm::detail
