// Values that cross the ORM boundary: one field value, a row of values() and a tuple of
// values_list(). A Value keeps the C++ kind it was made from (bool, integer, real, text, DateTime),
// so a filter can reject a value of the wrong type for its field before any SQL runs.
#pragma once

#include "aorm/errors.hpp"

#include <chrono>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <variant>
#include <vector>

namespace aorm {

// A point in time, UTC, microsecond precision. Stored as INTEGER microseconds since the Unix epoch.
using DateTime = std::chrono::sys_time<std::chrono::microseconds>;

// Formats as "YYYY-MM-DD HH:MM:SS.ffffff" (UTC) and parses the same form (fraction optional).
std::string to_string(DateTime t);
DateTime parse_datetime(std::string_view text);

class Value {
public:
  enum class Kind { Null, Bool, Integer, Real, Text, DateTime };
  using Storage = std::variant<std::monostate, bool, std::int64_t, double, std::string, DateTime>;

  Value() = default;
  Value(std::nullptr_t) {}
  Value(std::nullopt_t) {}
  Value(bool b) : v_(b) {}
  // SQLite stores 64-bit signed integers: an unsigned value above INT64_MAX is refused, never
  // wrapped to a negative number.
  template <std::integral I>
  requires(!std::same_as<I, bool>) Value(I i) {
    if constexpr (std::is_unsigned_v<I> && sizeof(I) >= sizeof(std::int64_t))
      if (i > static_cast<I>(INT64_MAX))
        throw_unsigned_out_of_range(static_cast<unsigned long long>(i));
    v_ = static_cast<std::int64_t>(i);
  }
  template <std::floating_point R> Value(R r) : v_(static_cast<double>(r)) {}
  Value(const char *s) : v_(std::string(s)) {}
  Value(std::string s) : v_(std::move(s)) {}
  Value(std::string_view s) : v_(std::string(s)) {}
  Value(DateTime t) : v_(t) {}
  template <class X>
  requires std::constructible_from<Value, const X &> Value(const std::optional<X> &o) {
    if (o)
      *this = Value(*o);
  }

  Kind kind() const noexcept { return static_cast<Kind>(v_.index()); }
  bool is_null() const noexcept { return kind() == Kind::Null; }
  const Storage &storage() const noexcept { return v_; }

  // Typed reads; integers widen to double, booleans read as 0/1. Anything else throws FieldError.
  std::int64_t as_int() const;
  double as_double() const;
  bool as_bool() const;
  const std::string &as_string() const;
  DateTime as_datetime() const;

  // For messages: 42, 1.5, 'text', NULL, true, 2024-01-02 03:04:05.000000.
  std::string repr() const;

  friend bool operator==(const Value &, const Value &) = default;

private:
  [[noreturn]] static void throw_unsigned_out_of_range(unsigned long long i);
  Storage v_;
};

const char *kind_name(Value::Kind k) noexcept;

// One row of values(): named columns, in the order they were selected.
class Row {
public:
  Row() = default;
  Row(std::shared_ptr<const std::vector<std::string>> names, std::vector<Value> values)
      : names_(std::move(names)), values_(std::move(values)) {}

  // Throws FieldError naming the column and the columns the row has.
  const Value &operator[](std::string_view column) const;
  const Value &operator[](std::size_t index) const { return values_.at(index); }
  bool has(std::string_view column) const;
  std::size_t size() const noexcept { return values_.size(); }
  const std::vector<std::string> &columns() const;
  const std::vector<Value> &values() const noexcept { return values_; }

private:
  std::shared_ptr<const std::vector<std::string>> names_;
  std::vector<Value> values_;
};

// One row of values_list(): the selected values by position.
using Tuple = std::vector<Value>;

} // namespace aorm
