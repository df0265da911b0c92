// Query expressions: F() field references and arithmetic, aggregates (Count, Sum, Avg, Min, Max),
// Q() filters combined with & | ~, and slices. All of them are plain values; nothing here runs SQL.
#pragma once

#include "aorm/value.hpp"

#include <concepts>
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <optional>
#include <ranges>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace aorm {

struct OrderBy;

// An SQL expression over one model: a literal, a field (F), arithmetic, or an aggregate.
class Expr {
public:
  enum class Op { Literal, Field, Add, Sub, Mul, Div, Count, Sum, Avg, Min, Max };
  struct Node {
    Op op = Op::Literal;
    Value value;           // Literal
    std::string field;     // Field and aggregates: a lookup path such as "author__name"
    bool distinct = false; // Count(..., distinct)
    std::shared_ptr<const Node> lhs, rhs;
  };

  Expr() : Expr(Value()) {}
  template <class V>
  requires std::constructible_from<Value, V &&> Expr(V &&v)
      : node_(literal(Value(std::forward<V>(v)))) {}

  static Expr field(std::string path);
  static Expr aggregate(Op op, std::string path, bool distinct = false);
  static Expr binary(Op op, Expr lhs, Expr rhs);

  const Node &node() const noexcept { return *node_; }
  bool is_aggregate() const noexcept;
  bool contains_aggregate() const noexcept;
  bool is_literal() const noexcept { return node_->op == Op::Literal; }
  // Django's key for an unnamed aggregate, e.g. Avg("rating") -> "rating__avg".
  std::string default_alias() const;
  // For order_by(): F("views").desc(), (F("views") * 2).asc().nulls_last().
  OrderBy asc() const;
  OrderBy desc() const;

private:
  explicit Expr(std::shared_ptr<const Node> n) : node_(std::move(n)) {}
  static std::shared_ptr<const Node> literal(Value v);
  std::shared_ptr<const Node> node_;
};

// A reference to a field of the queried model (or across a foreign key: "author__name").
Expr F(std::string path);
Expr operator+(Expr a, Expr b);
Expr operator-(Expr a, Expr b);
Expr operator*(Expr a, Expr b);
Expr operator/(Expr a, Expr b);

Expr Count(std::string path = "id", bool distinct = false);
Expr Sum(std::string path);
Expr Avg(std::string path);
Expr Min(std::string path);
Expr Max(std::string path);

// One order_by() term: a field name ("views", "-views", "author__name"), "?" (random), or an
// expression with a direction and, optionally, where NULLs go (SQLite's default puts them first
// when ascending). reverse() flips the direction and the NULLs placement, as Django's does.
struct OrderBy {
  std::string path; // a field term; empty for an expression
  std::optional<Expr> expr;
  bool descending = false;
  std::optional<bool> nulls_first;
  bool random = false;

  OrderBy(const char *field) : OrderBy(std::string(field)) {}
  OrderBy(std::string field);
  OrderBy(Expr e, bool desc = false) : expr(std::move(e)), descending(desc) {}
  OrderBy with_nulls_first() const {
    OrderBy o = *this;
    o.nulls_first = true;
    return o;
  }
  OrderBy with_nulls_last() const {
    OrderBy o = *this;
    o.nulls_first = false;
    return o;
  }
};

// A named expression, for annotate() and aggregate(): {"total", Sum("views")}.
struct Named {
  std::string alias;
  Expr expr;
};

// One assignment of update()/update_or_create(): {"views", F("views") + 1}.
struct Assignment {
  std::string field;
  Expr value;
};
using Assignments = std::vector<Assignment>;

namespace detail {
struct QueryState;
template <class R>
concept value_range = std::ranges::input_range<R> && !std::convertible_to<R, std::string_view> &&
                      std::constructible_from<Value, std::ranges::range_reference_t<R>>;
}

// A filter condition. Q("views__gte", 10), Q("id__in", {1, 2}), Q("author__name", "Ann");
// combine with & (and), | (or), ~ (not). A default-constructed Q matches every row on its own and
// is the identity of & and | (Q() | q is q), as in Django.
class Q {
public:
  struct Node {
    enum class Kind { Leaf, And, Or, Not } kind = Kind::Leaf;
    std::string lookup;         // Leaf: "field[__field...][__lookup]"
    std::vector<Expr> operands; // Leaf: one value, or the list of in/range
    bool list = false;          // Leaf: operands came as a list
    std::vector<Q> children;    // And/Or/Not
    // Leaf "x__in" with a QuerySet: a subquery of its ids, or of its one values()/values_list()
    // column.
    std::shared_ptr<const detail::QueryState> subquery;
  };

  Q() = default;
  Q(std::string lookup, Expr value);
  Q(std::string lookup, std::initializer_list<Value> values);
  template <detail::value_range R> Q(std::string lookup, const R &values) {
    std::vector<Value> vs;
    for (auto &&v : values)
      vs.emplace_back(v);
    *this = list(std::move(lookup), std::move(vs));
  }
  static Q list(std::string lookup, std::vector<Value> values);
  // Q("author__in", Author::objects.filter(...)): `col IN (SELECT ...)`, one query.
  template <class QS>
  requires requires(const QS &qs) { qs.state().model; }
  Q(std::string lookup, const QS &qs) {
    using State = std::remove_cvref_t<decltype(qs.state())>;
    *this = in_subquery(std::move(lookup), std::make_shared<const State>(qs.state()));
  }
  static Q in_subquery(std::string lookup, std::shared_ptr<const detail::QueryState> sub);

  bool empty() const noexcept { return !node_; }
  const Node *node() const noexcept { return node_.get(); }

  friend Q operator&(Q a, Q b);
  friend Q operator|(Q a, Q b);
  friend Q operator~(Q a);

private:
  explicit Q(std::shared_ptr<const Node> n) : node_(std::move(n)) {}
  std::shared_ptr<const Node> node_;
};

// Options of bulk_create(), as Django's keyword arguments. Name it before a co_await under g++-12.
struct BulkCreateOptions {
  std::optional<std::int64_t> batch_size;   // objects per INSERT; default: as many as SQLite binds
  bool ignore_conflicts = false;            // INSERT OR IGNORE; ids are not set
  bool update_conflicts = false;            // upsert: ON CONFLICT (unique_fields) DO UPDATE
  std::vector<std::string> update_fields;   // update_conflicts: the fields to overwrite
  std::vector<std::string> unique_fields;   // update_conflicts: the conflict target
};

// qs[aorm::slice(10, 20)] is LIMIT 10 OFFSET 10; slice(5) drops the first five.
struct Slice {
  std::int64_t start = 0;
  std::optional<std::int64_t> stop;
};
inline Slice slice(std::int64_t start, std::int64_t stop) { return Slice{start, stop}; }
inline Slice slice(std::int64_t start) { return Slice{start, std::nullopt}; }

} // namespace aorm
