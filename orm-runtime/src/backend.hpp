// The SQLite backend (private to the library): one connection per thread per database, prepared
// statements with bound parameters, the statement counter and transactions.
#pragma once

#include "aorm/value.hpp"

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

struct sqlite3;
struct sqlite3_stmt;

namespace aorm::detail {

class Connection;

// One prepared statement. Every value reaches SQLite through bind(), never through the SQL text.
class Statement {
public:
  Statement(Connection &conn, const std::string &sql);
  ~Statement();
  Statement(const Statement &) = delete;
  Statement &operator=(const Statement &) = delete;

  void bind(const std::vector<Value> &params);
  // Advances to the next row; false when done. Throws DatabaseError naming the database.
  bool step();
  int columns() const;
  std::string column_name(int i) const;
  // The raw stored value: NULL, integer, real or text.
  Value column(int i) const;

private:
  Connection &conn_;
  std::string sql_;
  sqlite3_stmt *stmt_ = nullptr;
  bool started_ = false;
  bool produced_ = false;
};

class Connection {
public:
  // `cursor`: a private connection for a streaming cursor (see cursor_connection()).
  Connection(std::string target, std::string label, bool uri, bool cursor = false);
  ~Connection();
  Connection(const Connection &) = delete;
  Connection &operator=(const Connection &) = delete;

  sqlite3 *handle() const noexcept { return db_; }
  const std::string &label() const noexcept { return label_; }
  [[noreturn]] void fail(const std::string &what, int rc) const;
  std::int64_t changes() const;
  std::int64_t last_insert_id() const;
  int depth = 0;                // open transaction/savepoint levels
  std::uint64_t generation = 0; // of the setup() this connection belongs to

  // Prepared statements are kept per connection by SQL text and reused: the compiler emits the
  // same text for the same query shape, with values only in the bindings.
  sqlite3_stmt *take_cached(const std::string &sql);
  void give_back(const std::string &sql, sqlite3_stmt *stmt);

private:
  sqlite3 *db_ = nullptr;
  std::string label_;
  std::unordered_map<std::string, sqlite3_stmt *> idle_;
};

// This thread's connection to the default database (opened on first use).
Connection &connection();

// A connection for one streaming cursor (iterator/aiterator): this thread's own when it is inside
// a transaction (so the cursor sees the transaction's writes), else a private one from a small
// pool, so the rows the caller writes meanwhile commit at once and the cursor keeps its snapshot.
// A private one may be used by one thread at a time, from any thread.
std::shared_ptr<Connection> cursor_connection();

// One query streamed row by row: a single statement, stepped as the caller asks for rows.
class Cursor {
public:
  Cursor(std::shared_ptr<Connection> conn, const std::string &sql,
         const std::vector<Value> &params);
  bool step() { return st_.step(); }
  Statement &statement() { return st_; }

private:
  std::shared_ptr<Connection> conn_; // outlives st_
  Statement st_;
};

// Executes sql with params on this thread's connection and calls on_row for each result row.
void execute(const std::string &sql, const std::vector<Value> &params = {},
             const std::function<void(Statement &)> &on_row = {});

// The same on a given connection (a cursor's private one).
void execute_on(Connection &conn, const std::string &sql, const std::vector<Value> &params = {},
                const std::function<void(Statement &)> &on_row = {});

void count_rollback();

} // namespace aorm::detail
