// Building query expressions and filters: plain immutable trees, shared between copies.
#include "aorm/query.hpp"

namespace aorm {

std::shared_ptr<const Expr::Node> Expr::literal(Value v) {
  auto n = std::make_shared<Node>();
  n->op = Op::Literal;
  n->value = std::move(v);
  return n;
}

Expr Expr::field(std::string path) {
  auto n = std::make_shared<Node>();
  n->op = Op::Field;
  n->field = std::move(path);
  return Expr(std::shared_ptr<const Node>(std::move(n)));
}

Expr Expr::aggregate(Op op, std::string path, bool distinct) {
  auto n = std::make_shared<Node>();
  n->op = op;
  n->field = std::move(path);
  n->distinct = distinct;
  return Expr(std::shared_ptr<const Node>(std::move(n)));
}

Expr Expr::binary(Op op, Expr lhs, Expr rhs) {
  auto n = std::make_shared<Node>();
  n->op = op;
  n->lhs = lhs.node_;
  n->rhs = rhs.node_;
  return Expr(std::shared_ptr<const Node>(std::move(n)));
}

namespace {
bool is_aggregate_op(Expr::Op op) {
  return op == Expr::Op::Count || op == Expr::Op::Sum || op == Expr::Op::Avg ||
         op == Expr::Op::Min || op == Expr::Op::Max;
}
bool has_aggregate(const Expr::Node &n) {
  return is_aggregate_op(n.op) || (n.lhs && has_aggregate(*n.lhs)) ||
         (n.rhs && has_aggregate(*n.rhs));
}
} // namespace

bool Expr::is_aggregate() const noexcept { return is_aggregate_op(node_->op); }
bool Expr::contains_aggregate() const noexcept { return has_aggregate(*node_); }

std::string Expr::default_alias() const {
  const char *suffix = nullptr;
  switch (node_->op) {
  case Op::Count:
    suffix = "count";
    break;
  case Op::Sum:
    suffix = "sum";
    break;
  case Op::Avg:
    suffix = "avg";
    break;
  case Op::Min:
    suffix = "min";
    break;
  case Op::Max:
    suffix = "max";
    break;
  default:
    throw FieldError("aggregate(): an expression that is not an aggregate needs a name, e.g. "
                     "aggregate({{\"name\", expr}})");
  }
  return node_->field + "__" + suffix;
}

OrderBy Expr::asc() const { return OrderBy(*this, false); }
OrderBy Expr::desc() const { return OrderBy(*this, true); }

OrderBy::OrderBy(std::string field) {
  if (field == "?") {
    random = true;
  } else if (!field.empty() && field[0] == '-') {
    descending = true;
    path = field.substr(1);
  } else {
    path = std::move(field);
  }
}

Expr F(std::string path) { return Expr::field(std::move(path)); }
Expr operator+(Expr a, Expr b) { return Expr::binary(Expr::Op::Add, std::move(a), std::move(b)); }
Expr operator-(Expr a, Expr b) { return Expr::binary(Expr::Op::Sub, std::move(a), std::move(b)); }
Expr operator*(Expr a, Expr b) { return Expr::binary(Expr::Op::Mul, std::move(a), std::move(b)); }
Expr operator/(Expr a, Expr b) { return Expr::binary(Expr::Op::Div, std::move(a), std::move(b)); }

Expr Count(std::string path, bool distinct) {
  return Expr::aggregate(Expr::Op::Count, std::move(path), distinct);
}
Expr Sum(std::string path) { return Expr::aggregate(Expr::Op::Sum, std::move(path)); }
Expr Avg(std::string path) { return Expr::aggregate(Expr::Op::Avg, std::move(path)); }
Expr Min(std::string path) { return Expr::aggregate(Expr::Op::Min, std::move(path)); }
Expr Max(std::string path) { return Expr::aggregate(Expr::Op::Max, std::move(path)); }

Q::Q(std::string lookup, Expr value) {
  auto n = std::make_shared<Node>();
  n->lookup = std::move(lookup);
  n->operands.push_back(std::move(value));
  node_ = std::move(n);
}

Q::Q(std::string lookup, std::initializer_list<Value> values)
    : Q(list(std::move(lookup), std::vector<Value>(values))) {}

Q Q::list(std::string lookup, std::vector<Value> values) {
  auto n = std::make_shared<Node>();
  n->lookup = std::move(lookup);
  n->list = true;
  for (auto &v : values)
    n->operands.emplace_back(std::move(v));
  return Q(std::shared_ptr<const Node>(std::move(n)));
}

Q Q::in_subquery(std::string lookup, std::shared_ptr<const detail::QueryState> sub) {
  auto n = std::make_shared<Node>();
  n->lookup = std::move(lookup);
  n->list = true;
  n->subquery = std::move(sub);
  return Q(std::shared_ptr<const Node>(std::move(n)));
}

Q operator&(Q a, Q b) {
  if (a.empty() || b.empty())
    return a.empty() ? b : a;
  auto n = std::make_shared<Q::Node>();
  n->kind = Q::Node::Kind::And;
  n->children = {std::move(a), std::move(b)};
  return Q(std::shared_ptr<const Q::Node>(std::move(n)));
}

// An empty Q is the identity of both & and |, and ~Q() is empty too, as Django's Q._combine and
// __invert__ make them: Q() | Q("views", 10) is Q("views", 10).
Q operator|(Q a, Q b) {
  if (a.empty() || b.empty())
    return a.empty() ? b : a;
  auto n = std::make_shared<Q::Node>();
  n->kind = Q::Node::Kind::Or;
  n->children = {std::move(a), std::move(b)};
  return Q(std::shared_ptr<const Q::Node>(std::move(n)));
}

Q operator~(Q a) {
  if (a.empty())
    return a;
  auto n = std::make_shared<Q::Node>();
  n->kind = Q::Node::Kind::Not;
  n->children = {std::move(a)};
  return Q(std::shared_ptr<const Q::Node>(std::move(n)));
}

} // namespace aorm
