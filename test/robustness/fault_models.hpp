// Models and a scratch database directory shared by the runtime fault tests.
#pragma once

#include <aorm/aorm.hpp>

#include <cstdint>
#include <filesystem>
#include <string>

namespace faults {

struct Counter : aorm::Model<Counter> {
  std::int64_t id = 0;
  std::string name;
  std::int64_t n = 0;
};

struct Entry : aorm::Model<Entry> {
  std::int64_t id = 0;
  std::int64_t batch = 0;
  std::string text;
};

// Registered in the models' namespace: meta_of() finds the hooks by argument-dependent lookup.
AORM_MODEL(Counter, "counter", id, name, n)
AORM_MODEL(Entry, "entry", id, batch, text)

// A fresh directory per test under $TMPDIR, removed at the end; the database lives in it so the
// WAL and shared-memory files are cleaned up too.
class ScratchDb {
public:
  explicit ScratchDb(const std::string &tag);
  ~ScratchDb();
  ScratchDb(const ScratchDb &) = delete;
  ScratchDb &operator=(const ScratchDb &) = delete;

  const std::filesystem::path &path() const { return file_; }
  // The SQLite file, for the suites about SQLite itself (locks, journal, crash recovery).
  std::string url() const { return "sqlite://" + file_.string(); }
  // The database of this run: in a PostgreSQL run (test/support/test_database.hpp) the server,
  // emptied when this ScratchDb was made; else the SQLite file.
  std::string run_url() const;

private:
  std::filesystem::path dir_;
  std::filesystem::path file_;
};

} // namespace faults
