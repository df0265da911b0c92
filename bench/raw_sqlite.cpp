#include "raw_sqlite.hpp"

#include <sqlite3.h>

#include <stdexcept>

namespace bench {
namespace {
constexpr const char *kColumns =
    "SELECT id, title, published, created, views, rating, author_id, body FROM post";
}

RawSqlite::RawSqlite(const std::filesystem::path &file) {
  auto fail = [&](const std::string &what) {
    std::string msg = what + " on " + file.string() + ": " + (db_ ? sqlite3_errmsg(db_) : "?");
    sqlite3_close(db_);
    throw std::runtime_error(msg);
  };
  if (sqlite3_open_v2(file.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nullptr) !=
      SQLITE_OK)
    fail("open");
  if (sqlite3_exec(db_, "PRAGMA journal_mode = WAL", nullptr, nullptr, nullptr) != SQLITE_OK)
    fail("PRAGMA journal_mode");
  std::string get_sql = std::string(kColumns) + " WHERE id = ?1";
  if (sqlite3_prepare_v2(db_, get_sql.c_str(), -1, &get_, nullptr) != SQLITE_OK)
    fail("prepare get");
  if (sqlite3_prepare_v2(db_, kColumns, -1, &list_, nullptr) != SQLITE_OK)
    fail("prepare list");
}

RawSqlite::~RawSqlite() {
  sqlite3_finalize(get_);
  sqlite3_finalize(list_);
  sqlite3_close(db_);
}

RawPost RawSqlite::read_row(sqlite3_stmt *st) const {
  RawPost p;
  p.id = sqlite3_column_int64(st, 0);
  p.title = reinterpret_cast<const char *>(sqlite3_column_text(st, 1));
  p.published = sqlite3_column_int(st, 2) != 0;
  p.created = sqlite3_column_int64(st, 3);
  p.views = sqlite3_column_int64(st, 4);
  p.rating = sqlite3_column_double(st, 5);
  p.author_id = sqlite3_column_int64(st, 6);
  if (sqlite3_column_type(st, 7) != SQLITE_NULL)
    p.body = reinterpret_cast<const char *>(sqlite3_column_text(st, 7));
  return p;
}

RawPost RawSqlite::get(std::int64_t id) {
  sqlite3_bind_int64(get_, 1, id);
  if (sqlite3_step(get_) != SQLITE_ROW) {
    sqlite3_reset(get_);
    throw std::runtime_error("raw get: no post with id " + std::to_string(id));
  }
  RawPost p = read_row(get_);
  sqlite3_reset(get_);
  return p;
}

std::vector<RawPost> RawSqlite::list() {
  std::vector<RawPost> out;
  while (sqlite3_step(list_) == SQLITE_ROW)
    out.push_back(read_row(list_));
  sqlite3_reset(list_);
  return out;
}

} // namespace bench
