// The SQLite backend (private): connections with WAL mode and a bounded busy timeout for files, a
// shared-cache URI for sqlite::memory: so every thread sees the same in-memory database.
#pragma once

#include "backend.hpp"

#include <memory>
#include <string>

struct sqlite3;

namespace aorm::detail::sqlite {

// Where setup() points: the path or shared-cache URI, and the label used in messages.
struct Target {
  std::string target;
  std::string label;
  bool uri = false; // an in-memory shared-cache database
};

// Parses "sqlite:///abs.db", "sqlite://relative.db" or "sqlite::memory:"; false for other forms.
bool parse_url(std::string_view url, Target &out);

// `cursor`: a private connection for a streaming cursor (see cursor_connection()).
std::unique_ptr<Connection> open(const Target &t, bool cursor = false);

// Keeps an in-memory database alive between connections; nullptr for a file.
sqlite3 *open_keeper(const Target &t);
void close_keeper(sqlite3 *keeper);

} // namespace aorm::detail::sqlite
