// SQL compilation for SELECT, COUNT, UPDATE, DELETE and aggregates over one model.
#include "compiler.hpp"

#include <algorithm>
#include <array>
#include <cctype>

namespace aorm::detail {
namespace {

constexpr std::array<std::string_view, 15> kLookups = {
    "exact", "iexact",     "contains", "icontains",   "in",        "gt",    "gte",   "lt",
    "lte",   "startswith", "endswith", "istartswith", "iendswith", "range", "isnull"};

bool is_lookup(std::string_view s) {
  return std::find(kLookups.begin(), kLookups.end(), s) != kLookups.end();
}

bool text_lookup(std::string_view s) {
  return s == "iexact" || s == "contains" || s == "icontains" || s == "startswith" ||
         s == "endswith" || s == "istartswith" || s == "iendswith";
}

std::vector<std::string> split(const std::string &path) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (true) {
    auto pos = path.find("__", start);
    parts.push_back(path.substr(start, pos - start));
    if (pos == std::string::npos)
      break;
    start = pos + 2;
  }
  return parts;
}

std::optional<FieldType> kind_type(Value::Kind k) {
  switch (k) {
  case Value::Kind::Bool:
    return FieldType::Bool;
  case Value::Kind::Integer:
    return FieldType::Integer;
  case Value::Kind::Real:
    return FieldType::Real;
  case Value::Kind::Text:
    return FieldType::Text;
  case Value::Kind::DateTime:
    return FieldType::DateTime;
  case Value::Kind::Null:
    break;
  }
  return std::nullopt;
}

bool compatible(FieldType t, Value::Kind k) {
  switch (t) {
  case FieldType::Integer:
  case FieldType::ForeignKey:
    return k == Value::Kind::Integer;
  case FieldType::Real:
    return k == Value::Kind::Integer || k == Value::Kind::Real;
  case FieldType::Text:
    return k == Value::Kind::Text;
  case FieldType::Bool:
    return k == Value::Kind::Bool;
  case FieldType::DateTime:
    return k == Value::Kind::DateTime;
  }
  return false;
}

} // namespace

std::string quote(const std::string &identifier) { return "\"" + identifier + "\""; }

void check_value(const ModelMeta &m, const FieldMeta &f, const Value &v, const std::string &what) {
  if (v.is_null()) {
    if (!f.nullable)
      throw FieldError(m.name + "." + f.name + ": " + what + " NULL into a non-nullable field");
    return;
  }
  if (!compatible(f.type, v.kind()))
    throw FieldError(m.name + "." + f.name + ": " + what + " expects " + field_type_name(f.type) +
                     ", got " + kind_name(v.kind()) + " " + v.repr());
}

std::string describe(const Q &q) {
  auto *n = q.node();
  if (!n)
    return "all rows";
  switch (n->kind) {
  case Q::Node::Kind::Leaf: {
    if (n->subquery)
      return n->lookup + "=<" + n->subquery->model->name + " QuerySet>";
    std::string out = n->lookup + "=";
    if (n->list)
      out += "[";
    for (std::size_t i = 0; i < n->operands.size(); ++i) {
      auto &o = n->operands[i].node();
      out += (i ? ", " : "") + (o.op == Expr::Op::Literal ? o.value.repr() : "F(" + o.field + ")");
    }
    return n->list ? out + "]" : out;
  }
  case Q::Node::Kind::And:
    return "(" + describe(n->children[0]) + " AND " + describe(n->children[1]) + ")";
  case Q::Node::Kind::Or:
    return "(" + describe(n->children[0]) + " OR " + describe(n->children[1]) + ")";
  case Q::Node::Kind::Not:
    return "NOT " + describe(n->children[0]);
  }
  return "?";
}

Compiler::Compiler(const QueryState &s, std::vector<Value> &params, std::string prefix)
    : s_(s), m_(*s.model), params_(params), prefix_(std::move(prefix)), base_(prefix_ + "0") {
  for (auto &a : s_.annotations)
    if (m_.find(a.alias))
      throw FieldError("annotate(): '" + a.alias + "' conflicts with a field on " + m_.name);
}

std::string Compiler::param(Value v) {
  params_.push_back(std::move(v));
  return "?" + std::to_string(params_.size());
}

const Named *Compiler::annotation(const std::string &name) const {
  for (auto &a : s_.annotations)
    if (a.alias == name)
      return &a;
  return nullptr;
}

std::string Compiler::join(const std::string &path, const FieldMeta &fk,
                           const std::string &parent_alias) {
  for (auto &[p, alias] : joins_)
    if (p == path)
      return alias;
  if (!allow_joins_)
    throw FieldError(m_.name + ": '" + path +
                     "' crosses a foreign key; joined references are not allowed here");
  const ModelMeta &target = fk.related();
  std::string alias = prefix_ + std::to_string(joins_.size() + 1);
  joins_.emplace_back(path, alias);
  join_sql_ += " LEFT JOIN " + quote(target.table) + " AS " + quote(alias) + " ON " + quote(alias) +
               "." + quote(target.pk_field().column) + " = " + quote(parent_alias) + "." +
               quote(fk.column);
  return alias;
}

// Walks "a__b__c": fields, crossing foreign keys with joins, until a lookup name or the end.
Compiler::Ref Compiler::resolve(const std::string &path, std::size_t &used,
                                std::vector<std::string> &parts, const char *context) {
  parts = split(path);
  const ModelMeta *model = &m_;
  std::string alias = base_;
  std::string prefix;
  bool joined = false;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    const std::string &part = parts[i];
    const FieldMeta *f = model->find(part);
    if (!f) {
      if (i == 0 && annotation(part)) {
        auto *a = annotation(part);
        if (++annotation_depth_ > 8)
          throw FieldError(m_.name + ": annotation '" + part + "' refers to itself");
        Ref r;
        r.sql = expr(a->expr.node(), r.type, r.aggregate, context);
        r.nullable = true;
        --annotation_depth_;
        used = 1;
        return r;
      }
      if (model->find_many_to_many(part))
        throw FieldError(model->name + "." + part + " is a many-to-many relation: " + context +
                         " cannot cross it ('" + path + "'); use aorm::related() or an __in "
                         "filter with a QuerySet");
      for (const ModelMeta *r : registered_models()) {
        std::string reverse = r->name + "_set";
        for (auto &c : reverse)
          c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        if (reverse == part)
          throw FieldError(model->name + "." + part + " is a reverse relation: " + context +
                           " cannot cross it ('" + path + "'); use aorm::related() or an __in "
                           "filter with a QuerySet");
      }
      model->field(part); // throws: unknown field, naming the model and its fields
    }
    bool more = i + 1 < parts.size();
    if (f->type == FieldType::ForeignKey && more && !is_lookup(parts[i + 1]) &&
        !model->is_attname(part)) {
      const ModelMeta &target = f->related();
      target.field(parts[i + 1]); // throws unless the next part is a field of the target
      prefix += (prefix.empty() ? "" : "__") + part;
      alias = join(prefix, *f, alias);
      model = &target;
      joined = true;
      continue;
    }
    Ref r;
    r.sql = quote(alias) + "." + quote(f->column);
    r.type = f->type;
    r.field = f;
    r.nullable = f->nullable || joined;
    used = i + 1;
    if (more && !is_lookup(parts[i + 1]))
      throw FieldError(model->name + "." + f->name + ": unsupported lookup '" + parts[i + 1] +
                       "' in " + context + " '" + path + "' (" + field_type_name(f->type) +
                       " fields take exact, iexact, contains, icontains, in, gt, gte, lt, lte, "
                       "startswith, endswith, range, isnull)");
    return r;
  }
  throw FieldError(m_.name + ": empty field name in " + context);
}

Compiler::Ref Compiler::resolve_value(const std::string &path, const char *context) {
  std::size_t used = 0;
  std::vector<std::string> parts;
  Ref r = resolve(path, used, parts, context);
  if (used != parts.size())
    throw FieldError(m_.name + ": " + context + " '" + path + "' names a lookup ('" + parts[used] +
                     "'); only fields are allowed here");
  return r;
}

std::string Compiler::expr(const Expr::Node &e, std::optional<FieldType> &type, bool &aggregate,
                           const char *context) {
  using Op = Expr::Op;
  switch (e.op) {
  case Op::Literal:
    type = kind_type(e.value.kind());
    return param(e.value);
  case Op::Field: {
    Ref r = resolve_value(e.field, "F()");
    type = r.type == FieldType::ForeignKey ? FieldType::Integer : r.type;
    aggregate = aggregate || r.aggregate;
    return r.sql;
  }
  case Op::Add:
  case Op::Sub:
  case Op::Mul:
  case Op::Div: {
    std::optional<FieldType> lt, rt;
    std::string l = expr(*e.lhs, lt, aggregate, context);
    std::string r = expr(*e.rhs, rt, aggregate, context);
    for (auto &t : {lt, rt})
      if (t && *t != FieldType::Integer && *t != FieldType::Real && *t != FieldType::ForeignKey)
        throw FieldError(m_.name + ": arithmetic on a " + field_type_name(*t) + " value in " +
                         context);
    type = (lt == FieldType::Real || rt == FieldType::Real) ? FieldType::Real : FieldType::Integer;
    const char *op = e.op == Op::Add   ? " + "
                     : e.op == Op::Sub ? " - "
                     : e.op == Op::Mul ? " * "
                                       : " / ";
    return "(" + l + op + r + ")";
  }
  case Op::Count:
  case Op::Sum:
  case Op::Avg:
  case Op::Min:
  case Op::Max: {
    aggregate = true;
    const char *fn = e.op == Op::Count ? "COUNT"
                     : e.op == Op::Sum ? "SUM"
                     : e.op == Op::Avg ? "AVG"
                     : e.op == Op::Min ? "MIN"
                                       : "MAX";
    std::string arg;
    std::optional<FieldType> at;
    if (e.op == Op::Count && e.field == "*") {
      arg = "*";
    } else {
      Ref r = resolve_value(e.field, context);
      if (r.aggregate)
        throw FieldError(m_.name + ": aggregate over the aggregate '" + e.field + "'");
      arg = r.sql;
      at = r.type;
    }
    if ((e.op == Op::Sum || e.op == Op::Avg) && at && *at != FieldType::Integer &&
        *at != FieldType::Real)
      throw FieldError(m_.name + "." + e.field + ": " + fn + "() needs a number field, not " +
                       field_type_name(*at));
    type = e.op == Op::Count             ? FieldType::Integer
           : e.op == Op::Avg             ? FieldType::Real
           : at == FieldType::ForeignKey ? FieldType::Integer
                                         : at;
    return std::string(fn) + "(" + (e.distinct ? "DISTINCT " : "") + arg + ")";
  }
  }
  throw FieldError("unknown expression");
}

std::string Compiler::leaf(const Q::Node &n, bool &aggregate, bool negated) {
  std::size_t used = 0;
  std::vector<std::string> parts;
  Ref r = resolve(n.lookup, used, parts, "filter");
  aggregate = aggregate || r.aggregate;
  std::string lookup = used < parts.size() ? parts[used] : "exact";
  if (used + 1 < parts.size())
    throw FieldError(m_.name + ": cannot resolve '" + n.lookup + "': nothing may follow lookup '" +
                     lookup + "'");
  std::string where = m_.name + (r.field ? "." + r.field->name : ": " + parts[0]);
  std::string what = "lookup '" + lookup + "'";

  auto want = [&](std::size_t count, bool list) {
    if (n.list != list || n.operands.size() != count)
      throw FieldError(
          where + ": " + what + " takes " +
          (list ? std::to_string(count) + " values in a list" : std::string("one value")) +
          ", got " +
          (n.list ? std::to_string(n.operands.size()) + " in a list" : std::string("one value")));
  };
  // Under negation a NULL column (or a NULL F() operand) must not make the comparison unknown,
  // or NOT would drop the row: Django adds "AND col IS NOT NULL" inside the NOT.
  std::vector<std::string> not_null;
  if (negated && r.nullable)
    not_null.push_back(r.sql);
  // One operand: a literal (checked against the field's type) or an expression.
  auto operand = [&](const Expr &e, bool text) -> std::string {
    auto &node = e.node();
    if (node.op == Expr::Op::Literal) {
      const Value &v = node.value;
      if (v.is_null())
        throw FieldError(where + ": " + what + " does not take NULL (use isnull)");
      if (text) {
        if (v.kind() != Value::Kind::Text)
          throw FieldError(where + ": " + what + " expects text, got " + kind_name(v.kind()) + " " +
                           v.repr());
      } else if (r.type && !compatible(*r.type, v.kind())) {
        throw FieldError(where + ": " + what + " expects " + field_type_name(*r.type) + ", got " +
                         kind_name(v.kind()) + " " + v.repr());
      }
      return param(v);
    }
    std::optional<FieldType> t;
    std::string sql = expr(node, t, aggregate, "filter");
    if (negated)
      not_null.push_back(sql); // an expression over fields may be NULL
    return sql;
  };
  auto guarded = [&](std::string cond) {
    if (not_null.empty())
      return cond;
    for (auto &c : not_null)
      cond += " AND " + c + " IS NOT NULL";
    return "(" + cond + ")";
  };

  if (text_lookup(lookup) && r.type && *r.type != FieldType::Text)
    throw FieldError(where + ": " + what + " needs a text field, but it is " +
                     field_type_name(*r.type));
  const std::string &c = r.sql;
  if (lookup == "isnull") {
    want(1, false);
    auto &v = n.operands[0].node();
    if (v.op != Expr::Op::Literal || v.value.kind() != Value::Kind::Bool)
      throw FieldError(where + ": lookup 'isnull' takes true or false");
    return c + (v.value.as_bool() ? " IS NULL" : " IS NOT NULL");
  }
  if (lookup == "in" && n.subquery) {
    const QueryState &sub = *n.subquery;
    if (sub.empty)
      return "0";
    Compiler inner(sub, params_, prefix_ + "s" + std::to_string(++subqueries_) + "_");
    return guarded(c + " IN (" + inner.column_select() + ")");
  }
  if (n.subquery)
    throw FieldError(where + ": only lookup 'in' takes a QuerySet, not " + what);
  if (lookup == "in") {
    if (!n.list)
      throw FieldError(where + ": lookup 'in' takes a list of values");
    if (n.operands.empty())
      return "0";
    std::string out = c + " IN (";
    for (std::size_t i = 0; i < n.operands.size(); ++i)
      out += (i ? ", " : "") + operand(n.operands[i], false);
    return guarded(out + ")");
  }
  if (lookup == "range") {
    want(2, true);
    std::string lo = operand(n.operands[0], false);
    return guarded(c + " BETWEEN " + lo + " AND " + operand(n.operands[1], false));
  }
  want(1, false);
  if (lookup == "exact") {
    auto &v = n.operands[0].node();
    if (v.op == Expr::Op::Literal && v.value.is_null())
      return c + " IS NULL";
    return guarded(c + " = " + operand(n.operands[0], false));
  }
  std::string x = operand(n.operands[0], text_lookup(lookup));
  if (lookup == "iexact")
    return guarded("LOWER(" + c + ") = LOWER(" + x + ")");
  if (lookup == "contains")
    return guarded("instr(" + c + ", " + x + ") > 0");
  if (lookup == "icontains")
    return guarded("instr(LOWER(" + c + "), LOWER(" + x + ")) > 0");
  if (lookup == "startswith")
    return guarded("substr(" + c + ", 1, length(" + x + ")) = " + x);
  if (lookup == "istartswith")
    return guarded("LOWER(substr(" + c + ", 1, length(" + x + "))) = LOWER(" + x + ")");
  if (lookup == "endswith")
    return guarded("(" + x + " = '' OR substr(" + c + ", -length(" + x + ")) = " + x + ")");
  if (lookup == "iendswith")
    return guarded("(" + x + " = '' OR LOWER(substr(" + c + ", -length(" + x + "))) = LOWER(" +
                   x + "))");
  const char *op = lookup == "gt"    ? " > "
                   : lookup == "gte" ? " >= "
                   : lookup == "lt"  ? " < "
                                     : " <= ";
  return guarded(c + op + x);
}

std::string Compiler::condition(const Q &q, bool &aggregate, bool negated) {
  auto *n = q.node();
  if (!n)
    return "1";
  switch (n->kind) {
  case Q::Node::Kind::Leaf:
    return leaf(*n, aggregate, negated);
  case Q::Node::Kind::And:
    return "(" + condition(n->children[0], aggregate, negated) + " AND " +
           condition(n->children[1], aggregate, negated) + ")";
  case Q::Node::Kind::Or:
    return "(" + condition(n->children[0], aggregate, negated) + " OR " +
           condition(n->children[1], aggregate, negated) + ")";
  case Q::Node::Kind::Not:
    return "NOT (" + condition(n->children[0], aggregate, !negated) + ")";
  }
  return "1";
}

std::string Compiler::where_clause(std::string &having) {
  std::string where;
  for (auto &t : s_.through)
    where += (where.empty() ? "" : " AND ") + quote(base_) + "." + quote(m_.pk_field().column) +
             " IN (SELECT " + quote(t.select) + " FROM " + quote(t.table) + " WHERE " +
             quote(t.match) + " = " + param(Value(t.id)) + ")";
  for (auto &q : s_.where) {
    bool agg = false;
    std::string c = condition(q, agg, false);
    std::string &target = agg ? having : where;
    target += (target.empty() ? "" : " AND ") + c;
  }
  return where.empty() ? "" : " WHERE " + where;
}

std::string Compiler::order_clause() {
  std::vector<OrderBy> terms = s_.order;
  if (terms.empty() && s_.reversed)
    terms.emplace_back("id");
  std::string out;
  for (auto &t : terms) {
    std::string sql;
    if (t.random) {
      sql = "RANDOM()"; // Django's order_by("?"); reverse() leaves it random
    } else {
      bool desc = t.descending != s_.reversed;
      if (t.expr) {
        std::optional<FieldType> type;
        bool aggregate = false;
        sql = expr(t.expr->node(), type, aggregate, "order_by");
      } else {
        sql = resolve_value(t.path, "order_by").sql;
      }
      sql += desc ? " DESC" : " ASC";
      if (t.nulls_first) // reverse() moves NULLs to the other end too
        sql += *t.nulls_first != s_.reversed ? " NULLS FIRST" : " NULLS LAST";
    }
    out += (out.empty() ? " ORDER BY " : ", ") + sql;
  }
  return out;
}

std::string Compiler::limit_clause() {
  if (!s_.sliced())
    return "";
  return " LIMIT " + param(s_.limit ? *s_.limit : -1) + " OFFSET " + param(s_.offset);
}

std::string Compiler::from_clause() const {
  return " FROM " + quote(m_.table) + " AS " + quote(base_) + join_sql_;
}

SelectPlan Compiler::select() {
  SelectPlan plan;
  std::vector<std::string> cols;
  std::vector<std::string> group;
  bool any_aggregate = false;
  if (s_.mode == Mode::Models) {
    for (auto &f : m_.fields)
      cols.push_back(quote(base_) + "." + quote(f.column));
    // select_related: every prefix of every path, parents before children.
    for (auto &path : s_.related) {
      std::vector<std::string> parts = split(path);
      const ModelMeta *model = &m_;
      std::string alias = base_, prefix;
      for (auto &part : parts) {
        const FieldMeta &f = model->field(part);
        if (f.type != FieldType::ForeignKey)
          throw FieldError("select_related: " + model->name + "." + f.name +
                           " is not a foreign key");
        std::string parent = prefix;
        prefix += (prefix.empty() ? "" : "__") + part;
        alias = join(prefix, f, alias);
        model = &f.related();
        bool seen = std::any_of(plan.related.begin(), plan.related.end(),
                                [&](const RelatedPlan &r) { return r.path == prefix; });
        if (!seen) {
          plan.related.push_back(RelatedPlan{prefix, parent, &f, model});
          for (auto &rf : model->fields)
            cols.push_back(quote(alias) + "." + quote(rf.column));
        }
      }
    }
    for (auto &a : s_.annotations) {
      std::optional<FieldType> t;
      bool agg = false;
      std::string sql = expr(a.expr.node(), t, agg, "annotate");
      if (agg)
        throw FieldError("annotate(): aggregate '" + a.alias + "' on " + m_.name +
                         " objects needs values() first (it groups by the values' fields)");
      cols.push_back(sql);
      plan.extra.push_back(Column{a.alias, t});
    }
  } else {
    std::vector<std::string> names = s_.fields;
    if (names.empty())
      for (auto &f : m_.fields)
        names.push_back(f.name);
    for (auto &a : s_.annotations)
      if (std::find(names.begin(), names.end(), a.alias) == names.end())
        names.push_back(a.alias);
    for (auto &name : names) {
      Ref r = resolve_value(name, "values");
      cols.push_back(r.sql);
      plan.extra.push_back(Column{name, r.type});
      if (r.aggregate)
        any_aggregate = true;
      else
        group.push_back(r.sql);
    }
  }
  std::string having;
  std::string where = where_clause(having);
  std::string order = order_clause();
  std::string limit = limit_clause();
  std::string group_by;
  if (any_aggregate && !group.empty()) {
    group_by = " GROUP BY ";
    for (std::size_t i = 0; i < group.size(); ++i)
      group_by += (i ? ", " : "") + group[i];
  }
  if (!having.empty() && !any_aggregate)
    throw FieldError(m_.name + ": filters on aggregate annotations need values() with that "
                               "annotation");
  std::string sql = std::string("SELECT ") + (s_.distinct ? "DISTINCT " : "");
  for (std::size_t i = 0; i < cols.size(); ++i)
    sql += (i ? ", " : "") + cols[i];
  plan.sql = sql + from_clause() + where + group_by + (having.empty() ? "" : " HAVING " + having) +
             order + limit;
  return plan;
}

std::string Compiler::pk_select() {
  std::string having;
  std::string where = where_clause(having);
  if (!having.empty())
    throw FieldError(m_.name + ": filters on aggregate annotations are only supported when "
                               "fetching values()");
  std::string order = order_clause();
  std::string limit = limit_clause();
  return std::string("SELECT ") + (s_.distinct ? "DISTINCT " : "") + quote(base_) + "." +
         quote(m_.pk_field().column) + from_clause() + where + order + limit;
}

std::string Compiler::column_select() {
  std::string col;
  if (s_.mode == Mode::Models) {
    col = quote(base_) + "." + quote(m_.pk_field().column);
  } else {
    if (s_.fields.size() != 1)
      throw FieldError(m_.name + ": a values()/values_list() QuerySet used with __in must name "
                                 "exactly one field, it names " +
                       std::to_string(s_.fields.size()));
    col = resolve_value(s_.fields[0], "values").sql;
  }
  std::string having;
  std::string where = where_clause(having);
  if (!having.empty())
    throw FieldError(m_.name + ": a QuerySet used with __in cannot filter on aggregates");
  std::string order = order_clause();
  std::string limit = limit_clause();
  return std::string("SELECT ") + (s_.distinct ? "DISTINCT " : "") + col + from_clause() + where +
         order + limit;
}

std::string Compiler::aggregate_select(const std::vector<Named> &aggs, const std::string &pk_sql,
                                       std::vector<Column> &columns) {
  if (aggs.empty())
    throw FieldError("aggregate() on " + m_.name + " needs at least one aggregate");
  std::string sql = "SELECT ";
  for (std::size_t i = 0; i < aggs.size(); ++i) {
    std::optional<FieldType> t;
    bool agg = false;
    std::string e = expr(aggs[i].expr.node(), t, agg, "aggregate");
    if (!agg)
      throw FieldError("aggregate(): '" + aggs[i].alias + "' on " + m_.name +
                       " is not an aggregate (use Count, Sum, Avg, Min or Max)");
    sql += (i ? ", " : "") + e;
    columns.push_back(Column{aggs[i].alias, t});
  }
  sql += from_clause();
  if (!pk_sql.empty())
    sql += " WHERE " + quote(base_) + "." + quote(m_.pk_field().column) + " IN (" + pk_sql + ")";
  return sql;
}

std::string Compiler::update_set(const Assignments &changes) {
  if (changes.empty())
    throw FieldError("update() on " + m_.name + " needs at least one field to set");
  allow_joins_ = false;
  base_ = m_.table;
  std::string out;
  for (auto &ch : changes) {
    const FieldMeta &f = m_.field(ch.field);
    if (&f == &m_.pk_field())
      throw FieldError(m_.name + ".id: update() cannot change the primary key");
    std::string value;
    auto &node = ch.value.node();
    if (node.op == Expr::Op::Literal) {
      check_value(m_, f, node.value, "update() of");
      value = param(node.value);
    } else {
      std::optional<FieldType> t;
      bool agg = false;
      value = expr(node, t, agg, "update");
      if (agg)
        throw FieldError(m_.name + "." + f.name + ": update() cannot use an aggregate");
    }
    out += (out.empty() ? "" : ", ") + quote(f.column) + " = " + value;
  }
  return out;
}

} // namespace aorm::detail
