// The floor for runtime cost: the sqlite3 C API on its own connection, each statement prepared
// once and reset between uses, rows copied into a plain struct with the same fields as Post.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

struct sqlite3;
struct sqlite3_stmt;

namespace bench {

struct RawPost {
  std::int64_t id = 0;
  std::string title;
  bool published = false;
  std::int64_t created = 0;
  std::int64_t views = 0;
  double rating = 0;
  std::int64_t author_id = 0;
  std::optional<std::string> body;
};

class RawSqlite {
public:
  explicit RawSqlite(const std::filesystem::path &file);
  ~RawSqlite();
  RawSqlite(const RawSqlite &) = delete;
  RawSqlite &operator=(const RawSqlite &) = delete;

  RawPost get(std::int64_t id); // throws std::runtime_error when the row is missing
  std::vector<RawPost> list();  // every post

private:
  RawPost read_row(sqlite3_stmt *st) const;
  sqlite3 *db_ = nullptr;
  sqlite3_stmt *get_ = nullptr;
  sqlite3_stmt *list_ = nullptr;
};

} // namespace bench
