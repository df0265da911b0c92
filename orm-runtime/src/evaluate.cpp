// Evaluation: the one place a QuerySet's SQL runs and rows become objects or value rows.
#include "backend.hpp"
#include "compiler.hpp"

#include "aorm/detail/state.hpp"

#include <algorithm>
#include <cctype>
#include <set>

namespace aorm::detail {
namespace {

constexpr std::size_t kMaxGetResults = 21; // as Django: enough to say "more than 20"

// Raw values back to the field's C++ kind (SQLite stores bools and DateTimes as integers;
// PostgreSQL gives them typed already).
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
  // Up to n more rows, each made by make from the statement; the cursor closes at the end.
  template <class Out, class MakeFn> std::vector<Out> batch(std::size_t n, MakeFn make) {
    std::vector<Out> out;
    if (!open())
      return out;
    while (out.size() < n) {
      if (!cursor->step()) {
        finish();
        break;
      }
      out.push_back(make(cursor->statement()));
    }
    return out;
  }
};

Stream::Stream(QueryState s) : impl_(std::make_unique<Impl>()) { impl_->state = std::move(s); }
Stream::~Stream() = default;
Stream::Stream(Stream &&) noexcept = default;
Stream &Stream::operator=(Stream &&) noexcept = default;

bool Stream::done() const noexcept { return impl_->done; }

std::vector<std::shared_ptr<void>> Stream::next_objects(std::size_t n) {
  auto out = impl_->batch<std::shared_ptr<void>>(
      n, [&](auto &stmt) { return impl_->reader->object(stmt); });
  impl_->reader->prefetch(out); // per batch, as Django's iterator(chunk_size) does
  return out;
}

std::vector<Row> Stream::next_rows(std::size_t n) {
  return impl_->batch<Row>(n, [&](auto &stmt) { return impl_->reader->row(stmt); });
}

std::int64_t count(const QueryState &s) {
  if (s.empty)
    return 0;
  std::vector<Value> params;
  Compiler c(s, params);
  std::int64_t n = 0;
  execute("SELECT COUNT(*) FROM (" + c.select().sql + ") AS \"counted\"", params,
          [&](Statement &st) { n = st.column(0).as_int(); });
  return n;
}

bool exists(const QueryState &s) {
  if (s.empty)
    return false;
  std::vector<Value> params;
  Compiler c(s, params);
  bool found = false;
  execute("SELECT 1 FROM (" + c.select().sql + ") AS \"found\" LIMIT 1", params,
          [&](Statement &) { found = true; });
  return found;
}

std::string explain(const QueryState &s) {
  if (s.empty)
    return "(empty QuerySet: no query)";
  std::vector<Value> params;
  Compiler c(s, params);
  std::string out;
  const Dialect &d = dialect();
  if (d.postgres()) { // one text row per line of the plan, already indented
    execute(d.explain_prefix() + c.select().sql, params,
            [&](Statement &st) { out += st.column(0).as_string() + "\n"; });
    return out;
  }
  std::vector<std::pair<std::int64_t, int>> depth; // id -> depth
  execute(d.explain_prefix() + c.select().sql, params, [&](Statement &st) {
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
  out.order.assign(fields.begin(), fields.end());
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
  std::string sql = "SELECT 1 WHERE " + dialect().placeholder(params.size() + 1) + " IN (" + sub +
                    ")";
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
      pk = std::string("SELECT NULL WHERE ") + dialect().truth(false);
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
in_bulk(const QueryState &s, const std::optional<std::vector<std::int64_t>> &ids,
        const std::string &field_name) {
  std::map<std::int64_t, std::shared_ptr<void>> out;
  require_unsliced(s, "in_bulk", "cannot use 'limit' or 'offset' with in_bulk()");
  const ModelMeta &m = *s.model;
  const FieldMeta &key = m.field(field_name);
  if (key.type != FieldType::Integer && key.type != FieldType::ForeignKey)
    throw FieldError("in_bulk(): " + m.name + "." + key.name + " is a " +
                     field_type_name(key.type) + " field; aorm keys in_bulk() by integer fields");
  QueryState q = s;
  if (ids) {
    if (ids->empty())
      return out;
    std::vector<Value> vs(ids->begin(), ids->end());
    q.where.push_back(Q::list(key.name + "__in", vs));
  }
  for (auto &obj : fetch_objects(q)) {
    Value v = key.get(obj.get());
    if (v.is_null())
      continue;
    // Django requires a unique field; aorm has no unique declaration, so it checks the rows.
    if (!out.emplace(v.as_int(), obj).second)
      throw FieldError("in_bulk(): field_name '" + field_name + "' of " + m.name +
                       " is not unique: two rows have " + v.repr());
  }
  return out;
}

std::vector<std::shared_ptr<void>> fetch_raw(const ModelMeta &m, const std::string &sql,
                                             const std::vector<Value> &params) {
  std::vector<std::shared_ptr<void>> out;
  std::vector<const FieldMeta *> fields; // per result column; nullptr: an annotation
  std::vector<std::string> names;
  execute(sql, params, [&](Statement &st) {
    if (names.empty()) {
      bool has_pk = false;
      for (int i = 0; i < st.columns(); ++i) {
        names.push_back(st.column_name(i));
        const FieldMeta *f = nullptr;
        for (auto &candidate : m.fields)
          if (candidate.column == names.back() || candidate.name == names.back())
            f = &candidate;
        has_pk = has_pk || f == &m.pk_field();
        fields.push_back(f);
      }
      if (!has_pk)
        throw FieldError("raw query on " + m.name + " must include the primary key column '" +
                         m.pk_field().column + "'");
    }
    auto obj = m.make();
    auto &ann = m.annotations(obj.get());
    for (int i = 0; i < st.columns(); ++i) {
      const FieldMeta *f = fields[static_cast<std::size_t>(i)];
      Value v = decode(st.column(i), f ? std::optional<FieldType>(f->type) : std::nullopt);
      if (!f) {
        ann[names[static_cast<std::size_t>(i)]] = v;
        continue;
      }
      try {
        f->set(obj.get(), v);
      } catch (const FieldError &e) {
        throw FieldError(m.name + "." + f->name + " (raw query): " + e.what());
      }
    }
    out.push_back(std::move(obj));
  });
  return out;
}

namespace {

std::string lower(std::string s) {
  for (auto &c : s)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::vector<std::int64_t> ids_of(const ModelMeta &m, const std::vector<void *> &objs) {
  std::set<std::int64_t> ids;
  for (auto *o : objs) {
    Value v = m.pk_field().get(o);
    if (!v.is_null() && v.as_int() != 0)
      ids.insert(v.as_int());
  }
  return {ids.begin(), ids.end()};
}

// Objects of `target` whose id is in ids, by id.
std::map<std::int64_t, std::shared_ptr<void>> fetch_by_ids(const ModelMeta &target,
                                                           const std::vector<std::int64_t> &ids) {
  std::map<std::int64_t, std::shared_ptr<void>> found;
  if (ids.empty())
    return found;
  QueryState q;
  q.model = &target;
  q.where.push_back(Q::list("id__in", std::vector<Value>(ids.begin(), ids.end())));
  q.order = {"id"};
  for (auto &t : fetch_objects(q))
    found.emplace(target.pk_field().get(t.get()).as_int(), t);
  return found;
}

// Deeper hops run on the fetched objects before they are copied into their owners' lists.
void prefetch_deeper(const ModelMeta &target, const std::vector<std::shared_ptr<void>> &objs,
                     const std::vector<std::string> &rests) {
  if (rests.empty() || objs.empty())
    return;
  std::vector<void *> ptrs;
  for (auto &o : objs)
    ptrs.push_back(o.get());
  prefetch_objects(target, ptrs, rests);
}

// Stores, on each owner, the list of its related objects (in id order) under `name`.
void store_lists(const ModelMeta &m, const std::vector<void *> &owners, const std::string &name,
                 const ModelMeta &target,
                 const std::map<std::int64_t, std::vector<std::shared_ptr<void>>> &by_owner) {
  static const std::vector<std::shared_ptr<void>> none;
  for (auto *o : owners) {
    auto it = by_owner.find(m.pk_field().get(o).as_int());
    m.prefetched(o)[name] = target.make_list(it == by_owner.end() ? none : it->second);
  }
}

// Pairs (owner id, related id) from a through table.
std::vector<std::pair<std::int64_t, std::int64_t>>
links_of(const std::string &table, const std::string &owner_col, const std::string &other_col,
         const std::vector<std::int64_t> &owners) {
  std::vector<std::pair<std::int64_t, std::int64_t>> out;
  std::vector<Value> params;
  std::string marks;
  for (auto id : owners) {
    params.emplace_back(id);
    marks += (marks.empty() ? "" : ", ") + dialect().placeholder(params.size());
  }
  execute("SELECT " + quote(owner_col) + ", " + quote(other_col) + " FROM " + quote(table) +
              " WHERE " + quote(owner_col) + " IN (" + marks + ") ORDER BY " + quote(other_col),
          params, [&](Statement &st) {
            out.emplace_back(st.column(0).as_int(), st.column(1).as_int());
          });
  return out;
}

void prefetch_links(const ModelMeta &m, const std::vector<void *> &objs, const std::string &name,
                    const ModelMeta &target, const std::string &table,
                    const std::string &owner_col, const std::string &other_col,
                    const std::vector<std::string> &rests) {
  auto owners = ids_of(m, objs);
  if (owners.empty())
    return;
  auto links = links_of(table, owner_col, other_col, owners);
  std::vector<std::int64_t> wanted;
  for (auto &[o, t] : links)
    wanted.push_back(t);
  std::sort(wanted.begin(), wanted.end());
  wanted.erase(std::unique(wanted.begin(), wanted.end()), wanted.end());
  auto found = fetch_by_ids(target, wanted);
  std::vector<std::shared_ptr<void>> all;
  for (auto &[id, t] : found)
    all.push_back(t);
  prefetch_deeper(target, all, rests);
  std::map<std::int64_t, std::vector<std::shared_ptr<void>>> by_owner;
  for (auto &[o, t] : links)
    if (auto it = found.find(t); it != found.end())
      by_owner[o].push_back(it->second);
  store_lists(m, objs, name, target, by_owner);
}

void prefetch_one(const ModelMeta &m, const std::vector<void *> &objs, const std::string &name,
                  const std::vector<std::string> &rests) {
  if (const FieldMeta *f = m.find(name)) {
    if (f->type != FieldType::ForeignKey || m.is_attname(name))
      throw FieldError("prefetch_related: " + m.name + "." + f->name + " is not a foreign key");
    std::set<std::int64_t> ids;
    for (auto *o : objs) {
      Value v = f->get(o);
      if (!v.is_null())
        ids.insert(v.as_int());
    }
    const ModelMeta &target = f->related();
    auto found = fetch_by_ids(target, {ids.begin(), ids.end()});
    std::vector<std::shared_ptr<void>> all;
    for (auto &[id, t] : found)
      all.push_back(t);
    prefetch_deeper(target, all, rests);
    for (auto *o : objs) {
      Value v = f->get(o);
      if (v.is_null())
        continue;
      if (auto it = found.find(v.as_int()); it != found.end())
        f->set_cached(o, it->second);
    }
    return;
  }
  if (auto *r = m.find_many_to_many(name)) {
    prefetch_links(m, objs, name, r->related(), r->through, r->source, r->target_column(), rests);
    return;
  }
  std::string reverse_names;
  for (const ModelMeta *r : registered_models()) {
    std::string reverse = lower(r->name) + "_set";
    bool points_here = false;
    for (auto &f : r->fields)
      points_here = points_here || (f.type == FieldType::ForeignKey && &f.related() == &m);
    for (auto &rel : r->many_to_many)
      points_here = points_here || &rel.related() == &m;
    if (points_here)
      reverse_names += (reverse_names.empty() ? "" : ", ") + reverse;
    if (reverse != name)
      continue;
    for (auto &f : r->fields) {
      if (f.type != FieldType::ForeignKey || &f.related() != &m)
        continue;
      auto owners = ids_of(m, objs);
      if (owners.empty())
        return;
      QueryState q;
      q.model = r;
      q.where.push_back(Q::list(f.name + "__in", std::vector<Value>(owners.begin(), owners.end())));
      q.order = {"id"};
      auto children = fetch_objects(q);
      prefetch_deeper(*r, children, rests);
      std::map<std::int64_t, std::vector<std::shared_ptr<void>>> by_owner;
      for (auto &c : children)
        by_owner[f.get(c.get()).as_int()].push_back(c);
      store_lists(m, objs, name, *r, by_owner);
      return;
    }
    for (auto &rel : r->many_to_many)
      if (&rel.related() == &m) {
        prefetch_links(m, objs, name, *r, rel.through, rel.target_column(), rel.source, rests);
        return;
      }
  }
  m.field(name); // throws: no such field, naming the fields
}

} // namespace

void prefetch_objects(const ModelMeta &m, const std::vector<void *> &objs,
                      const std::vector<std::string> &names) {
  // Group the paths by their first hop so each hop runs once: "a", "a__b" -> a with rest {b}.
  std::vector<std::pair<std::string, std::vector<std::string>>> hops;
  for (auto &path : names) {
    if (path.empty())
      throw FieldError("prefetch_related: empty name on " + m.name);
    auto cut = path.find("__");
    std::string first = path.substr(0, cut);
    if (first.empty() || (cut != std::string::npos && cut + 2 >= path.size()))
      throw FieldError("prefetch_related: malformed path '" + path + "' on " + m.name);
    auto it = std::find_if(hops.begin(), hops.end(), [&](auto &h) { return h.first == first; });
    if (it == hops.end()) {
      hops.emplace_back(first, std::vector<std::string>{});
      it = hops.end() - 1;
    }
    if (cut != std::string::npos)
      it->second.push_back(path.substr(cut + 2));
  }
  if (objs.empty())
    return;
  for (auto &[first, rests] : hops)
    prefetch_one(m, objs, first, rests);
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
