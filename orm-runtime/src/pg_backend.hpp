// The PostgreSQL backend's sync path (private): a detail::Connection over one blocking
// PgConnection, its results read row by row from the finished PGresult.
#pragma once

#include "backend.hpp"
#include "pg_connection.hpp"

#include <memory>
#include <string>

namespace aorm::detail::pg {

// Connects (blocking) to target.conninfo; throws DatabaseError naming host and port.
std::unique_ptr<Connection> open(const Target &target);

} // namespace aorm::detail::pg
