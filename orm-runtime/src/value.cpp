// Value conversions, DateTime text form, and Row lookup by column name.
#include "aorm/value.hpp"

#include <cctype>
#include <cstdio>
#include <cstdlib>

namespace aorm {

const char *kind_name(Value::Kind k) noexcept {
  switch (k) {
  case Value::Kind::Null:
    return "NULL";
  case Value::Kind::Bool:
    return "bool";
  case Value::Kind::Integer:
    return "integer";
  case Value::Kind::Real:
    return "real";
  case Value::Kind::Text:
    return "text";
  case Value::Kind::DateTime:
    return "datetime";
  }
  return "?";
}

namespace {
[[noreturn]] void wrong_kind(const Value &v, const char *wanted) {
  throw FieldError(
      std::string("expected ") + wanted + ", got " +
      (v.is_null() ? std::string("NULL") : std::string(kind_name(v.kind())) + " " + v.repr()));
}
} // namespace

void Value::throw_unsigned_out_of_range(unsigned long long i) {
  throw FieldError("integer " + std::to_string(i) +
                   " does not fit SQLite's 64-bit signed INTEGER (largest 9223372036854775807)");
}

std::int64_t Value::as_int() const {
  if (auto *i = std::get_if<std::int64_t>(&v_))
    return *i;
  if (auto *b = std::get_if<bool>(&v_))
    return *b ? 1 : 0;
  wrong_kind(*this, "an integer");
}

double Value::as_double() const {
  if (auto *d = std::get_if<double>(&v_))
    return *d;
  if (auto *i = std::get_if<std::int64_t>(&v_))
    return static_cast<double>(*i);
  wrong_kind(*this, "a real number");
}

bool Value::as_bool() const {
  if (auto *b = std::get_if<bool>(&v_))
    return *b;
  if (auto *i = std::get_if<std::int64_t>(&v_); i && (*i == 0 || *i == 1))
    return *i == 1;
  wrong_kind(*this, "a bool");
}

const std::string &Value::as_string() const {
  if (auto *s = std::get_if<std::string>(&v_))
    return *s;
  wrong_kind(*this, "text");
}

DateTime Value::as_datetime() const {
  if (auto *t = std::get_if<DateTime>(&v_))
    return *t;
  wrong_kind(*this, "a DateTime");
}

std::string Value::repr() const {
  switch (kind()) {
  case Kind::Null:
    return "NULL";
  case Kind::Bool:
    return std::get<bool>(v_) ? "true" : "false";
  case Kind::Integer:
    return std::to_string(std::get<std::int64_t>(v_));
  case Kind::Real: {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%g", std::get<double>(v_));
    return buf;
  }
  case Kind::Text:
    return "'" + std::get<std::string>(v_) + "'";
  case Kind::DateTime:
    return to_string(std::get<DateTime>(v_));
  }
  return "?";
}

std::string to_string(DateTime t) {
  using namespace std::chrono;
  auto day = floor<days>(t);
  year_month_day ymd(day);
  hh_mm_ss<microseconds> hms(t - day);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u %02ld:%02ld:%02ld.%06ld", int(ymd.year()),
                unsigned(ymd.month()), unsigned(ymd.day()), long(hms.hours().count()),
                long(hms.minutes().count()), long(hms.seconds().count()),
                long(hms.subseconds().count()));
  return buf;
}

DateTime parse_datetime(std::string_view text) {
  using namespace std::chrono;
  std::string s(text);
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, sec = 0, used = 0;
  char sep = ' ';
  int n = std::sscanf(s.c_str(), "%d-%d-%d%c%d:%d:%d%n", &y, &mo, &d, &sep, &h, &mi, &sec, &used);
  if (n == 3) {
    h = mi = sec = 0;
    used = static_cast<int>(s.size());
    std::sscanf(s.c_str(), "%*d-%*d-%*d%n", &used);
  } else if (n < 7 || (sep != ' ' && sep != 'T')) {
    throw FieldError("cannot parse DateTime '" + s + "': expected YYYY-MM-DD[ HH:MM:SS[.ffffff]]");
  }
  long micros = 0;
  std::string rest = s.substr(static_cast<std::size_t>(used));
  if (!rest.empty() && rest[0] == '.') {
    rest.erase(0, 1);
    std::string digits;
    while (!rest.empty() && std::isdigit(static_cast<unsigned char>(rest[0]))) {
      if (digits.size() < 6) // finer than microseconds is dropped
        digits += rest[0];
      rest.erase(0, 1);
    }
    if (digits.empty())
      throw FieldError("cannot parse DateTime '" + s + "': no digits after '.'");
    while (digits.size() < 6)
      digits += '0';
    micros = std::strtol(digits.c_str(), nullptr, 10);
  }
  if (!rest.empty() && rest != "Z")
    throw FieldError("cannot parse DateTime '" + s + "': unexpected '" + rest + "'");
  if (y < 1 || y > 9999) // std::chrono::year wraps outside +-32767
    throw FieldError("cannot parse DateTime '" + s + "': year must be 1..9999");
  year_month_day ymd{year(y), month(static_cast<unsigned>(mo)), day(static_cast<unsigned>(d))};
  if (!ymd.ok() || h > 23 || mi > 59 || sec > 60)
    throw FieldError("cannot parse DateTime '" + s + "': no such date or time");
  return sys_days(ymd) + hours(h) + minutes(mi) + seconds(sec) + microseconds(micros);
}

const std::vector<std::string> &Row::columns() const {
  static const std::vector<std::string> none;
  return names_ ? *names_ : none;
}

bool Row::has(std::string_view column) const {
  for (auto &n : columns())
    if (n == column)
      return true;
  return false;
}

const Value &Row::operator[](std::string_view column) const {
  auto &names = columns();
  for (std::size_t i = 0; i < names.size(); ++i)
    if (names[i] == column)
      return values_[i];
  std::string have;
  for (auto &n : names)
    have += (have.empty() ? "" : ", ") + n;
  throw FieldError("row has no column '" + std::string(column) + "' (columns: " + have + ")");
}

} // namespace aorm
