// Evaluation: the one place a QuerySet's SQL runs and rows become objects or value rows.
#include "backend.hpp"
#include "compiler.hpp"

#include "aorm/detail/state.hpp"

#include <algorithm>
#include <set>

namespace aorm::detail {
namespace {

constexpr std::size_t kMaxGetResults = 21; // as Django: enough to say "more than 20"

// Raw SQLite values back to the field's C++ kind (bools and DateTimes are stored as integers).
Value decode(Value raw, std::optional<FieldType> type) {
  if (raw.is_null() || !type)
    return raw;
  switch (*type) {
  case FieldType::Bool:
    if (raw.kind() == Value::Kind::Integer)
      return Value(raw.as_int() != 0);
    break;
  case FieldType::DateTime:
    if (raw.kind() == Value::Kind::Integer)
      return Value(DateTime(std::chrono::microseconds(raw.as_int())));
    if (raw.kind() == Value::Kind::Text)
      return Value(parse_datetime(raw.as_string()));
    break;
  case FieldType::Real:
    if (raw.kind() == Value::Kind::Integer)
      return Value(static_cast<double>(raw.as_int()));
    break;
  default:
    break;
  }
  return raw;
}

void hydrate(const ModelMeta &m, void *obj, Statement &st, int &col) {
  for (auto &f : m.fields) {
    Value v = decode(st.column(col++), f.type);
    try {
      f.set(obj, v);
    } catch (const FieldError &e) {
      throw FieldError(m.name + "." + f.name + " (table " + m.table + "): " + e.what());
    }
  }
}

QueryState narrowed(QueryState s, std::int64_t start, std::int64_t stop) {
  apply_slice(s, slice(start, stop));
  return s;
}

std::string filters_of(const QueryState &s) {
  std::string out;
  for (auto &q : s.where)
    out += (out.empty() ? "" : " AND ") + describe(q);
  return out.empty() ? "no filters" : out;
}

} // namespace

void apply_slice(QueryState &s, const Slice &sl) {
  if (sl.start < 0 || (sl.stop && *sl.stop < sl.start))
    throw Error(s.model->name + " QuerySet slice [" + std::to_string(sl.start) + ", " +
                (sl.stop ? std::to_string(*sl.stop) : std::string("end")) +
                ") is invalid: negative start or stop before start");
  std::int64_t start = s.offset + sl.start;
  std::optional<std::int64_t> stop;
  if (sl.stop)
    stop = s.offset + *sl.stop;
  if (s.limit) {
    std::int64_t old_stop = s.offset + *s.limit;
    start = std::min(start, old_stop);
    stop = stop ? std::min(*stop, old_stop) : old_stop;
  }
  s.offset = start;
  s.limit = stop ? std::optional<std::int64_t>(*stop - start) : std::nullopt;
}

void require_unsliced(const QueryState &s, const char *builder) {
  if (s.sliced())
    throw Error(std::string(builder) + "() on a sliced " + s.model->name +
                " QuerySet: slice after filtering and ordering, not before");
}

std::vector<std::shared_ptr<void>> fetch_objects(const QueryState &s) {
  std::vector<std::shared_ptr<void>> out;
  if (s.empty)
    return out;
  std::vector<Value> params;
  Compiler c(s, params);
  SelectPlan plan = c.select();
  const ModelMeta &m = *s.model;
  execute(plan.sql, params, [&](Statement &st) {
    auto obj = m.make();
    int col = 0;
    hydrate(m, obj.get(), st, col);
    std::vector<std::pair<std::string, std::shared_ptr<void>>> loaded{{"", obj}};
    for (auto &r : plan.related) {
      bool present = !st.column(col + static_cast<int>(r.model->pk)).is_null();
      std::shared_ptr<void> target;
      if (present) {
        target = r.model->make();
        hydrate(*r.model, target.get(), st, col);
      } else {
        col += static_cast<int>(r.model->fields.size());
      }
      loaded.emplace_back(r.path, target);
      auto parent =
          std::find_if(loaded.begin(), loaded.end(), [&](auto &p) { return p.first == r.parent; });
      if (target && parent != loaded.end() && parent->second)
        r.fk->set_cached(parent->second.get(), target);
    }
    auto &ann = m.annotations(obj.get());
    for (auto &e : plan.extra)
      ann[e.name] = decode(st.column(col++), e.type);
    out.push_back(std::move(obj));
  });
  if (!s.prefetch.empty() && !out.empty()) {
    std::vector<void *> ptrs;
    for (auto &o : out)
      ptrs.push_back(o.get());
    prefetch_objects(m, ptrs, s.prefetch);
  }
  return out;
}

std::vector<Row> fetch_rows(const QueryState &s) {
  std::vector<Row> out;
  if (s.empty)
    return out;
  std::vector<Value> params;
  Compiler c(s, params);
  SelectPlan plan = c.select();
  auto names = std::make_shared<std::vector<std::string>>();
  for (auto &e : plan.extra)
    names->push_back(e.name);
  execute(plan.sql, params, [&](Statement &st) {
    std::vector<Value> values;
    for (int i = 0; i < static_cast<int>(plan.extra.size()); ++i)
      values.push_back(decode(st.column(i), plan.extra[static_cast<std::size_t>(i)].type));
    out.emplace_back(names, std::move(values));
  });
  return out;
}

std::int64_t count(const QueryState &s) {
  if (s.empty)
    return 0;
  std::vector<Value> params;
  Compiler c(s, params);
  std::int64_t n = 0;
  execute("SELECT COUNT(*) FROM (" + c.select().sql + ")", params,
          [&](Statement &st) { n = st.column(0).as_int(); });
  return n;
}

bool exists(const QueryState &s) {
  if (s.empty)
    return false;
  std::vector<Value> params;
  Compiler c(s, params);
  bool found = false;
  execute("SELECT 1 FROM (" + c.select().sql + ") LIMIT 1", params,
          [&](Statement &) { found = true; });
  return found;
}

std::string explain(const QueryState &s) {
  if (s.empty)
    return "(empty QuerySet: no query)";
  std::vector<Value> params;
  Compiler c(s, params);
  std::vector<std::pair<std::int64_t, int>> depth; // id -> depth
  std::string out;
  execute("EXPLAIN QUERY PLAN " + c.select().sql, params, [&](Statement &st) {
    std::int64_t id = st.column(0).as_int(), parent = st.column(1).as_int();
    int d = 0;
    for (auto &[pid, pd] : depth)
      if (pid == parent)
        d = pd + 1;
    depth.emplace_back(id, d);
    out += std::string(static_cast<std::size_t>(2 * d), ' ') + st.column(3).as_string() + "\n";
  });
  return out;
}

QueryState get_state(const QueryState &s) { return narrowed(s, 0, kMaxGetResults); }

void check_get_count(const QueryState &s, std::size_t rows, const char *terminal) {
  if (rows == 1)
    return;
  if (rows == 0)
    throw DoesNotExist(s.model->name + " matching query does not exist (" + terminal + ": " +
                       filters_of(s) + ")");
  throw MultipleObjectsReturned(
      std::string(terminal) + "() returned more than one " + s.model->name + " -- it returned " +
      (rows >= kMaxGetResults ? "more than " + std::to_string(kMaxGetResults - 1)
                              : std::to_string(rows)) +
      " (" + filters_of(s) + ")");
}

QueryState first_state(const QueryState &s, bool last) {
  QueryState out = s;
  if (out.order.empty())
    out.order = {"id"};
  if (last)
    out.reversed = !out.reversed;
  return narrowed(out, 0, 1);
}

QueryState latest_state(const QueryState &s, const std::string &field, bool earliest) {
  if (field.empty())
    throw FieldError(std::string(earliest ? "earliest" : "latest") + "() on " + s.model->name +
                     " needs a field name");
  QueryState out = s;
  out.order = {earliest ? field : "-" + field};
  out.reversed = false;
  return narrowed(out, 0, 1);
}

QueryState chunk_state(const QueryState &s, std::int64_t index, std::int64_t chunk) {
  QueryState out = s;
  if (out.order.empty())
    out.order = {"id"};
  return narrowed(out, index * chunk, (index + 1) * chunk);
}

bool contains_object(const QueryState &s, const void *obj) {
  const ModelMeta &m = *s.model;
  Value id = m.pk_field().get(obj);
  if (id.is_null() || id.as_int() == 0)
    throw Error("contains() needs a saved " + m.name + " object (its id is 0)");
  if (s.empty)
    return false;
  std::vector<Value> params;
  Compiler c(s, params);
  std::string sub = c.pk_select();
  std::string sql = "SELECT 1 WHERE " + std::string("?") + std::to_string(params.size() + 1) +
                    " IN (" + sub + ")";
  params.push_back(id);
  bool found = false;
  execute(sql, params, [&](Statement &) { found = true; });
  return found;
}

std::map<std::string, Value> aggregate(const QueryState &s, const std::vector<Named> &aggs) {
  std::vector<Value> params;
  std::string pk;
  QueryState base = s;
  base.mode = Mode::Models;
  if (!s.where.empty() || s.sliced() || s.distinct || s.empty) {
    Compiler inner(base, params, "t");
    pk = inner.pk_select();
    if (s.empty)
      pk = "SELECT NULL WHERE 0";
  }
  QueryState outer_state = base;
  outer_state.where.clear();
  outer_state.order.clear();
  outer_state.offset = 0;
  outer_state.limit.reset();
  Compiler outer(outer_state, params, "a");
  std::vector<Column> cols;
  std::string sql = outer.aggregate_select(aggs, pk, cols);
  std::map<std::string, Value> out;
  execute(sql, params, [&](Statement &st) {
    for (int i = 0; i < static_cast<int>(cols.size()); ++i)
      out[cols[static_cast<std::size_t>(i)].name] =
          decode(st.column(i), cols[static_cast<std::size_t>(i)].type);
  });
  return out;
}

std::map<std::int64_t, std::shared_ptr<void>>
in_bulk(const QueryState &s, const std::optional<std::vector<std::int64_t>> &ids) {
  std::map<std::int64_t, std::shared_ptr<void>> out;
  QueryState q = s;
  if (ids) {
    if (ids->empty())
      return out;
    require_unsliced(s, "in_bulk");
    std::vector<Value> vs(ids->begin(), ids->end());
    q.where.push_back(Q::list("id__in", vs));
  }
  const ModelMeta &m = *s.model;
  for (auto &obj : fetch_objects(q))
    out.emplace(m.pk_field().get(obj.get()).as_int(), obj);
  return out;
}

void prefetch_objects(const ModelMeta &m, const std::vector<void *> &objs,
                      const std::vector<std::string> &names) {
  for (auto &name : names) {
    if (name.find("__") != std::string::npos)
      throw FieldError("prefetch_related: '" + name + "' on " + m.name +
                       ": only direct foreign keys are supported");
    const FieldMeta &f = m.field(name);
    if (f.type != FieldType::ForeignKey)
      throw FieldError("prefetch_related: " + m.name + "." + f.name + " is not a foreign key");
    std::set<std::int64_t> ids;
    for (auto *o : objs) {
      Value v = f.get(o);
      if (!v.is_null())
        ids.insert(v.as_int());
    }
    if (ids.empty())
      continue;
    QueryState q;
    q.model = &f.related();
    q.where.push_back(Q::list("id__in", std::vector<Value>(ids.begin(), ids.end())));
    std::map<std::int64_t, std::shared_ptr<void>> found;
    for (auto &t : fetch_objects(q))
      found.emplace(q.model->pk_field().get(t.get()).as_int(), t);
    for (auto *o : objs) {
      Value v = f.get(o);
      if (v.is_null())
        continue;
      if (auto it = found.find(v.as_int()); it != found.end())
        f.set_cached(o, it->second);
    }
  }
}

std::shared_ptr<void> fetch_by_pk(const ModelMeta &m, std::int64_t id) {
  if (id == 0)
    throw DoesNotExist(m.name + " matching query does not exist (the foreign key is not set)");
  QueryState q;
  q.model = &m;
  q.where.push_back(Q("id", id));
  auto objs = fetch_objects(get_state(q));
  check_get_count(q, objs.size(), "get");
  return objs.front();
}

} // namespace aorm::detail
