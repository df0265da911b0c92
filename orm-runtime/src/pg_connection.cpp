// libpq connections: connect and session setup, typed text parameters, prepared statements cached
// per connection, result cells to Values, SQLSTATE to the runtime's error types.
#include "pg_connection.hpp"

#include "backend.hpp"

#include "aorm/errors.hpp"

#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace aorm::detail::pg {
namespace {

// Type OIDs from PostgreSQL's catalog (pg_type.dat); stable across server versions.
constexpr Oid kBool = 16, kInt8 = 20, kInt2 = 21, kInt4 = 23, kText = 25, kOid = 26,
              kFloat4 = 700, kFloat8 = 701, kDate = 1082, kTimestamp = 1114, kTimestamptz = 1184,
              kNumeric = 1700;

constexpr std::size_t kMaxPrepared = 256;

std::string trimmed(const char *msg) {
  std::string s = msg ? msg : "";
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back())))
    s.pop_back();
  return s;
}

std::string where_of(PGconn *conn) {
  if (!conn)
    return "?";
  const char *host = PQhost(conn), *port = PQport(conn), *db = PQdb(conn);
  std::string out = host && *host ? host : "localhost";
  out.append(":").append(port && *port ? port : "5432");
  if (db && *db)
    out.append("/").append(db);
  return out;
}

bool starts_with(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

std::size_t pool_size_of(const std::string &value) {
  char *stop = nullptr;
  long n = std::strtol(value.c_str(), &stop, 10);
  if (value.empty() || *stop != '\0' || n < 1 || n > 1024)
    throw DatabaseError("PostgreSQL URL parameter pool_size must be a whole number from 1 to "
                        "1024, got '" + value + "'");
  return static_cast<std::size_t>(n);
}

// Removes aorm's own "pool_size=N" from a URI's query or a keyword string (libpq rejects
// parameters it does not know).
void take_pool_size(std::string &conninfo, std::size_t &out, bool uri) {
  const std::string key = "pool_size=";
  if (uri) {
    auto q = conninfo.find('?');
    if (q == std::string::npos)
      return;
    std::string query = conninfo.substr(q + 1), kept;
    for (std::size_t from = 0; from <= query.size();) {
      auto amp = query.find('&', from);
      std::string part = query.substr(from, amp == std::string::npos ? amp : amp - from);
      if (part.rfind(key, 0) == 0)
        out = pool_size_of(part.substr(key.size()));
      else if (!part.empty())
        kept += (kept.empty() ? "" : "&") + part;
      if (amp == std::string::npos)
        break;
      from = amp + 1;
    }
    conninfo = conninfo.substr(0, q) + (kept.empty() ? "" : "?" + kept);
    return;
  }
  if (conninfo.find(key) == std::string::npos)
    return; // leave quoted values with spaces untouched
  std::string kept;
  for (std::size_t from = 0; from < conninfo.size();) {
    auto space = conninfo.find(' ', from);
    std::string part = conninfo.substr(from, space == std::string::npos ? space : space - from);
    if (part.rfind(key, 0) == 0)
      out = pool_size_of(part.substr(key.size()));
    else if (!part.empty())
      kept += (kept.empty() ? "" : " ") + part;
    if (space == std::string::npos)
      break;
    from = space + 1;
  }
  conninfo = kept;
}

std::string real_text(double d) {
  if (std::isnan(d))
    return "NaN";
  if (std::isinf(d))
    return d > 0 ? "Infinity" : "-Infinity";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.17g", d);
  return buf;
}

// "2024-03-01 12:00:00.5+00", "...+05:30", "2024-03-01" (date), no offset (timestamp).
DateTime parse_timestamp(const char *text) {
  std::string s = text;
  int offset_seconds = 0;
  if (s.size() > 19) {
    auto sign = s.find_first_of("+-", 19);
    if (sign != std::string::npos) {
      int h = 0, m = 0, sec = 0;
      std::sscanf(s.c_str() + sign + 1, "%d:%d:%d", &h, &m, &sec);
      offset_seconds = (h * 3600 + m * 60 + sec) * (s[sign] == '-' ? -1 : 1);
      s.resize(sign);
    }
  }
  return parse_datetime(s) - std::chrono::seconds(offset_seconds);
}

} // namespace

bool parse_url(std::string_view url, Target &out) {
  bool uri = starts_with(url, "postgresql://") || starts_with(url, "postgres://");
  // The keyword form: "host=... dbname=..." (it starts with a keyword and '=').
  bool keywords = false;
  if (!uri) {
    std::size_t i = 0;
    while (i < url.size() && (std::islower(static_cast<unsigned char>(url[i])) || url[i] == '_'))
      ++i;
    while (i < url.size() && url[i] == ' ')
      ++i;
    keywords = i > 0 && i < url.size() && url[i] == '=';
  }
  if (!uri && !keywords)
    return false;
  Target t;
  t.conninfo = std::string(url);
  take_pool_size(t.conninfo, t.pool_size, uri);
  char *err = nullptr;
  PQconninfoOption *opts = PQconninfoParse(t.conninfo.c_str(), &err);
  if (!opts) {
    std::string msg = trimmed(err ? err : "out of memory");
    PQfreemem(err);
    throw DatabaseError("invalid PostgreSQL connection string: " + msg);
  }
  PQconninfoFree(opts);
  out = std::move(t);
  return true;
}

Params::Params(const std::vector<Value> &values) {
  text_.reserve(values.size());
  types_.reserve(values.size());
  for (auto &v : values) {
    switch (v.kind()) {
    case Value::Kind::Null:
      text_.emplace_back();
      types_.push_back(0);
      break;
    case Value::Kind::Bool:
      text_.emplace_back(v.as_bool() ? "true" : "false");
      types_.push_back(kBool);
      break;
    case Value::Kind::Integer:
      text_.push_back(std::to_string(v.as_int()));
      types_.push_back(kInt8);
      break;
    case Value::Kind::Real:
      text_.push_back(real_text(v.as_double()));
      types_.push_back(kFloat8);
      break;
    case Value::Kind::Text:
      text_.push_back(v.as_string());
      types_.push_back(kText);
      break;
    case Value::Kind::DateTime:
      text_.push_back(to_string(v.as_datetime()) + "+00");
      types_.push_back(kTimestamptz);
      break;
    }
  }
  ptrs_.reserve(values.size());
  for (std::size_t i = 0; i < values.size(); ++i)
    ptrs_.push_back(values[i].is_null() ? nullptr : text_[i].c_str());
}

std::string Params::cache_key(const std::string &sql) const {
  std::string key = sql;
  key += '\0';
  for (Oid t : types_)
    key += std::to_string(t) + ",";
  return key;
}

PgConnection::PgConnection(const std::string &conninfo) {
  conn_ = PQconnectdb(conninfo.c_str());
  label_ = where_of(conn_);
  if (!conn_ || PQstatus(conn_) != CONNECTION_OK) {
    std::string msg = trimmed(conn_ ? PQerrorMessage(conn_) : "out of memory");
    PQfinish(conn_);
    conn_ = nullptr;
    throw DatabaseError("cannot connect to PostgreSQL at " + label_ + ": " + msg);
  }
  // Server notices (e.g. ROLLBACK after a failed COMMIT) are not the application's output.
  PQsetNoticeProcessor(conn_, [](void *, const char *) {}, nullptr);
  try {
    exec_simple(kSessionSql);
  } catch (...) {
    PQfinish(conn_);
    conn_ = nullptr;
    throw;
  }
  count_connection();
}

PgConnection::~PgConnection() {
  if (conn_)
    PQfinish(conn_);
}

bool PgConnection::broken() const noexcept { return !conn_ || PQstatus(conn_) == CONNECTION_BAD; }

const std::string *PgConnection::prepared(const std::string &key) const {
  auto it = prepared_.find(key);
  return it == prepared_.end() ? nullptr : &it->second;
}

std::string PgConnection::new_statement_name() { return "aorm_" + std::to_string(++next_id_); }

void PgConnection::remember(const std::string &key, std::string name) {
  prepared_.emplace(key, std::move(name));
}

bool PgConnection::full() const noexcept { return prepared_.size() >= kMaxPrepared; }

Result PgConnection::exec(const std::string &sql, const std::vector<Value> &params) {
  Params p(params);
  std::string key = p.cache_key(sql);
  const std::string *name = prepared(key);
  count_statement();
  if (!name && full()) {
    Result r(PQexecParams(conn_, sql.c_str(), p.count(), p.types(), p.values(), nullptr, nullptr,
                          0));
    if (!succeeded(r.get()))
      throw_error(r.get(), conn_, label_, sql);
    return r;
  }
  if (!name) {
    std::string fresh = new_statement_name();
    Result prep(PQprepare(conn_, fresh.c_str(), sql.c_str(), p.count(), p.types()));
    if (!succeeded(prep.get()))
      throw_error(prep.get(), conn_, label_, sql);
    remember(key, fresh);
    name = prepared(key);
    count_prepared();
  }
  Result r(PQexecPrepared(conn_, name->c_str(), p.count(), p.values(), nullptr, nullptr, 0));
  if (!succeeded(r.get()))
    throw_error(r.get(), conn_, label_, sql);
  return r;
}

void PgConnection::exec_simple(const std::string &sql) {
  // PQexec returns the last statement's result; an earlier failure stops the rest and is last.
  Result r(PQexec(conn_, sql.c_str()));
  if (!succeeded(r.get()))
    throw_error(r.get(), conn_, label_, sql);
}

bool succeeded(const PGresult *res) noexcept {
  if (!res)
    return false;
  auto st = PQresultStatus(res);
  return st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK;
}

std::int64_t affected_rows(const PGresult *res) noexcept {
  const char *n = res ? PQcmdTuples(const_cast<PGresult *>(res)) : nullptr;
  return n && *n ? std::strtoll(n, nullptr, 10) : 0;
}

void throw_error(const PGresult *res, PGconn *conn, const std::string &label,
                 const std::string &sql) {
  std::string msg = trimmed(res ? PQresultErrorMessage(res) : nullptr);
  if (msg.empty())
    msg = trimmed(conn ? PQerrorMessage(conn) : "no connection");
  const char *code = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : nullptr;
  std::string state = code ? code : "";
  std::string tail = " (in: " + sql + ")";
  if (!conn || PQstatus(conn) == CONNECTION_BAD)
    throw DatabaseError("lost the connection to PostgreSQL at " + label + ": " + msg + tail);
  std::string text = "database " + label + ": " + msg + (state.empty() ? "" : " [" + state + "]");
  if (state.rfind("23", 0) == 0)
    throw IntegrityError(text + tail);
  if (state == "40001" || state == "40P01")
    throw SerializationError(text + tail);
  if (state == "57014")
    throw DatabaseError("database " + label + ": the statement was cancelled (statement_timeout "
                        "or a cancel request): " + msg + " [57014]" + tail);
  throw DatabaseError(text + tail);
}

Value cell(const PGresult *res, int row, int col) {
  if (PQgetisnull(res, row, col))
    return Value();
  const char *v = PQgetvalue(res, row, col);
  switch (PQftype(res, col)) {
  case kBool:
    return Value(v[0] == 't');
  case kInt2:
  case kInt4:
  case kInt8:
  case kOid:
    return Value(static_cast<std::int64_t>(std::strtoll(v, nullptr, 10)));
  case kFloat4:
  case kFloat8:
    return Value(std::strtod(v, nullptr));
  case kNumeric: {
    bool integral = std::strpbrk(v, ".eEN") == nullptr; // N: NaN
    if (integral) {
      errno = 0;
      long long n = std::strtoll(v, nullptr, 10);
      if (errno != ERANGE)
        return Value(static_cast<std::int64_t>(n));
    }
    return Value(std::strtod(v, nullptr));
  }
  case kDate:
  case kTimestamp:
  case kTimestamptz:
    return Value(parse_timestamp(v));
  default:
    return Value(std::string(v, static_cast<std::size_t>(PQgetlength(res, row, col))));
  }
}

} // namespace aorm::detail::pg
