// The database: setup/close of the default database, migrate, transactions and statement counts.
#pragma once

#include "aorm/guard.hpp"
#include "aorm/intent.hpp"
#include "aorm/model.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

namespace aorm {

// Sets the default database: "sqlite:///abs/path.db", "sqlite://relative.db", "sqlite::memory:",
// or PostgreSQL: "postgresql://user:pw@host:5432/db?..." (also "postgres://", or a libpq keyword
// string "host=... dbname=..."; unset parts come from the PG* environment variables, as libpq
// reads them; aorm's own parameter pool_size=N is for the a-methods' connection pool).
// Nothing is opened yet; each thread opens its own connection on first use (SQLite: WAL mode,
// bounded busy timeout). An in-memory database is one shared-cache database seen by every thread.
// Throws DatabaseError for an unknown or malformed URL; a server that cannot be reached fails the
// first query with a DatabaseError naming its host and port.
void setup(std::string_view url);
// Closes the default database; queries then throw DatabaseError until setup() is called again.
void close();
// The URL given to setup(), or "" when closed.
std::string database_url();

struct DbStats {
  std::uint64_t statements = 0;  // SQL statements executed (every query, write, BEGIN/COMMIT)
  std::uint64_t connections = 0; // connections opened
  std::uint64_t rollbacks = 0;   // transactions or savepoints rolled back
  std::uint64_t prepared = 0;    // statements prepared (the rest reused a cached one)
};
// Process-wide counters; tests use `statements` to prove laziness and chunking.
DbStats db_stats();
void reset_db_stats();

namespace detail {
void create_table(const ModelMeta &m);

// A transaction on this thread's connection; nested ones are savepoints. Rolls back in the
// destructor unless commit() ran.
class Transaction {
public:
  Transaction();
  ~Transaction();
  Transaction(const Transaction &) = delete;
  Transaction &operator=(const Transaction &) = delete;
  void commit();

private:
  int depth_ = 0;
  std::uint64_t conn_ = 0; // serial of the connection it began on
  bool done_ = false;
};
} // namespace detail

// CREATE TABLE IF NOT EXISTS for each model (any order: foreign keys are checked on writes).
template <class... Models> AORM_BLOCKING_NO_TWIN void migrate() {
  guard_sync("migrate");
  (detail::create_table(meta_of<Models>()), ...);
}

// Runs fn() in a transaction on the calling thread: commits when it returns, rolls back and
// rethrows when it throws. Nested calls use savepoints. Only this thread's work is inside it:
// a-methods run on worker threads and are not part of the transaction.
template <class F> AORM_BLOCKING_NO_TWIN auto atomic(F &&fn) -> std::invoke_result_t<F &> {
  guard_sync("atomic");
  detail::Transaction tx;
  if constexpr (std::is_void_v<std::invoke_result_t<F &>>) {
    fn();
    tx.commit();
  } else {
    auto result = fn();
    tx.commit();
    return result;
  }
}

} // namespace aorm
