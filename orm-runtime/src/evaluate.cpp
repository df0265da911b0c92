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

void require_unsliced(const QueryState &s, const char *call, const char *reason) {
  if (s.sliced())
    throw Error(std::string(call) + "() on a sliced " + s.model->name + " QuerySet: " + reason +
                " (slice after filtering and ordering, not before)");
}

namespace {

// Turns result rows of one SelectPlan into objects (root plus select_related targets) or Rows.
class Reader {
public:
  Reader(const QueryState &s, SelectPlan plan) : s_(s), plan_(std::move(plan)) {
    names_ = std::make_shared<std::vector<std::string>>();
    for (auto &e : plan_.extra)
      names_->push_back(e.name);
  }
  const std::string &sql() const { return plan_.sql; }

  std::shared_ptr<void> object(Statement &st) const {
    const ModelMeta &m = *s_.model;
    auto obj = m.make();
    int col = 0;
    hydrate(m, obj.get(), st, col);
    std::vector<std::pair<std::string, std::shared_ptr<void>>> loaded{{"", obj}};
    for (auto &r : plan_.related) {
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
    for (auto &e : plan_.extra)
      ann[e.name] = decode(st.column(col++), e.type);
    return obj;
  }

  Row row(Statement &st) const {
    std::vector<Value> values;
    for (int i = 0; i < static_cast<int>(plan_.extra.size()); ++i)
      values.push_back(decode(st.column(i), plan_.extra[static_cast<std::size_t>(i)].type));
    return Row(names_, std::move(values));
  }

  // prefetch_related over a batch of fetched objects.
  void prefetch(const std::vector<std::shared_ptr<void>> &objs) const {
    if (s_.prefetch.empty() || objs.empty())
      return;
    std::vector<void *> ptrs;
    for (auto &o : objs)
      ptrs.push_back(o.get());
    prefetch_objects(*s_.model, ptrs, s_.prefetch);
  }

private:
  const QueryState &s_;
  SelectPlan plan_;
  std::shared_ptr<std::vector<std::string>> names_;
};

Reader reader_for(const QueryState &s, std::vector<Value> &params) {
  Compiler c(s, params);
  return Reader(s, c.select());
}

} // namespace

std::vector<std::shared_ptr<void>> fetch_objects(const QueryState &s) {
  std::vector<std::shared_ptr<void>> out;
  if (s.empty)
    return out;
  std::vector<Value> params;
  Reader reader = reader_for(s, params);
  execute(reader.sql(), params, [&](Statement &st) { out.push_back(reader.object(st)); });
  reader.prefetch(out);
  return out;
}

std::vector<Row> fetch_rows(const QueryState &s) {
  std::vector<Row> out;
  if (s.empty)
    return out;
  std::vector<Value> params;
  Reader reader = reader_for(s, params);
  execute(reader.sql(), params, [&](Statement &st) { out.push_back(reader.row(st)); });
  return out;
}

// One statement for the whole iteration, stepped a batch at a time (Django streams one query):
// rows the caller updates meanwhile are neither skipped nor seen twice, as they would be with a
// LIMIT/OFFSET query per chunk.
struct Stream::Impl {
  QueryState state;
  std::vector<Value> params;
  std::optional<Reader> reader;
  std::optional<Cursor> cursor;
  bool done = false;

  bool open() {
    if (cursor || done)
      return !done;
    if (state.empty) {
      done = true;
      return false;
    }
    reader.emplace(reader_for(state, params));
    cursor.emplace(cursor_connection(), reader->sql(), params);
    return true;
  }
  void finish() {
    done = true;
    cursor.reset(); // gives the statement and the connection back
  }
};

Stream::Stream(QueryState s) : impl_(std::make_unique<Impl>()) { impl_->state = std::move(s); }
Stream::~Stream() = default;
Stream::Stream(Stream &&) noexcept = default;
Stream &Stream::operator=(Stream &&) noexcept = default;

bool Stream::done() const noexcept { return impl_->done; }

std::vector<std::shared_ptr<void>> Stream::next_objects(std::size_t n) {
  std::vector<std::shared_ptr<void>> out;
  if (!impl_->open())
    return out;
  while (out.size() < n) {
    if (!impl_->cursor->step()) {
      impl_->finish();
      break;
    }
    out.push_back(impl_->reader->object(impl_->cursor->statement()));
  }
  impl_->reader->prefetch(out); // per batch, as Django's iterator(chunk_size) does
  return out;
}

std::vector<Row> Stream::next_rows(std::size_t n) {
  std::vector<Row> out;
  if (!impl_->open())
    return out;
  while (out.size() < n) {
    if (!impl_->cursor->step()) {
      impl_->finish();
      break;
    }
    out.push_back(impl_->reader->row(impl_->cursor->statement()));
  }
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
  if (last) {
    // Django: last() is reverse() of the ordered query (or of order_by("-pk")).
    require_unsliced(s, "last", "cannot reverse a query once a slice has been taken");
    if (out.order.empty())
      out.order = {"id"};
    out.reversed = !out.reversed;
  } else if (out.order.empty()) {
    require_unsliced(s, "first", "cannot reorder a query once a slice has been taken");
    out.order = {"id"};
  }
  return narrowed(out, 0, 1);
}

QueryState latest_state(const QueryState &s, const std::vector<std::string> &fields,
                        bool earliest) {
  const char *name = earliest ? "earliest" : "latest";
  require_unsliced(s, name, "cannot change a query once a slice has been taken");
  if (fields.empty())
    throw FieldError(std::string(name) + "() on " + s.model->name +
                     " needs at least one field name (models have no get_latest_by)");
  for (auto &f : fields)
    if (f.empty() || f == "-")
      throw FieldError(std::string(name) + "() on " + s.model->name + " got an empty field name");
  QueryState out = s;
  out.order = fields;
  if (!earliest)
    out.reversed = !out.reversed;
  return out;
}

QueryState index_state(const QueryState &s, std::int64_t index) {
  return narrowed(s, index, index + 1);
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
  require_unsliced(s, "in_bulk", "cannot use 'limit' or 'offset' with in_bulk()");
  QueryState q = s;
  if (ids) {
    if (ids->empty())
      return out;
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
