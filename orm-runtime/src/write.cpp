// Writes: INSERT, UPDATE and DELETE of objects and QuerySets, get_or_create / update_or_create.
#include "backend.hpp"
#include "compiler.hpp"

#include "aorm/db.hpp"
#include "aorm/detail/state.hpp"

#include <algorithm>

namespace aorm::detail {
namespace {

std::int64_t id_of(const ModelMeta &m, const void *obj) {
  Value v = m.pk_field().get(obj);
  return v.is_null() ? 0 : v.as_int();
}

void insert_one(const ModelMeta &m, void *obj) {
  const Dialect &d = dialect();
  std::string cols, marks;
  std::vector<Value> params;
  bool auto_id = id_of(m, obj) == 0;
  for (auto &f : m.fields) {
    if (auto_id && &f == &m.pk_field())
      continue;
    params.push_back(f.get(obj));
    cols += (cols.empty() ? "" : ", ") + quote(f.column);
    marks += (marks.empty() ? "" : ", ") + d.placeholder(params.size());
  }
  std::string returning = auto_id ? d.returning(m.pk_field().column) : "";
  std::int64_t id = 0;
  auto read_id = [&](Statement &st) { id = st.column(0).as_int(); };
  if (cols.empty()) // a model with only its id
    execute("INSERT INTO " + quote(m.table) + " DEFAULT VALUES" + returning, {}, read_id);
  else
    execute("INSERT INTO " + quote(m.table) + " (" + cols + ") VALUES (" + marks + ")" + returning,
            params, read_id);
  if (auto_id)
    m.pk_field().set(obj, Value(returning.empty() ? connection().last_insert_id() : id));
}

// Sets fields from the exact lookups of q ("title", "title__exact"), as Django's create does.
void apply_exact(const ModelMeta &m, void *obj, const Q &q) {
  auto *n = q.node();
  if (!n)
    return;
  if (n->kind == Q::Node::Kind::And) {
    for (auto &c : n->children)
      apply_exact(m, obj, c);
    return;
  }
  if (n->kind != Q::Node::Kind::Leaf || n->list || n->operands.size() != 1)
    return;
  std::string name = n->lookup;
  if (name.size() > 7 && name.compare(name.size() - 7, 7, "__exact") == 0)
    name.resize(name.size() - 7);
  if (name.find("__") != std::string::npos)
    return;
  auto &op = n->operands[0].node();
  if (op.op != Expr::Op::Literal)
    return;
  const FieldMeta &f = m.field(name);
  check_value(m, f, op.value, "create with");
  f.set(obj, op.value);
}

QueryState filtered(const QueryState &s, const Q &q) {
  QueryState out = s;
  out.mode = Mode::Models;
  if (!q.empty()) {
    require_unsliced(s, "filter", "cannot filter a query once a slice has been taken");
    out.where.push_back(q);
  }
  return out;
}

} // namespace

void insert_objects(const ModelMeta &m, const std::vector<void *> &objs) {
  if (objs.size() == 1) {
    insert_one(m, objs[0]);
    return;
  }
  if (objs.empty())
    return;
  Transaction tx;
  for (auto *o : objs)
    insert_one(m, o);
  tx.commit();
}

void bulk_insert(const ModelMeta &m, const std::vector<void *> &objs,
                 const BulkCreateOptions &o) {
  const std::string who = "bulk_create() on " + m.name;
  if (o.ignore_conflicts && o.update_conflicts)
    throw Error(who + ": ignore_conflicts and update_conflicts are mutually exclusive");
  if (o.batch_size && *o.batch_size <= 0)
    throw Error(who + ": batch_size must be positive, got " + std::to_string(*o.batch_size));
  std::string conflict;
  if (o.update_conflicts) {
    if (o.update_fields.empty())
      throw Error(who + ": update_conflicts needs update_fields, the fields to overwrite");
    if (o.unique_fields.empty())
      throw Error(who + ": update_conflicts needs unique_fields, the conflict target SQLite "
                        "requires");
    std::string target, set;
    for (auto &name : o.unique_fields)
      target += (target.empty() ? "" : ", ") + quote(m.field(name).column);
    for (auto &name : o.update_fields) {
      const FieldMeta &f = m.field(name);
      if (&f == &m.pk_field())
        throw Error(who + ": the primary key cannot be in update_fields");
      set += (set.empty() ? "" : ", ") + quote(f.column) + " = excluded." + quote(f.column);
    }
    conflict = " ON CONFLICT (" + target + ") DO UPDATE SET " + set;
  } else if (!o.update_fields.empty() || !o.unique_fields.empty()) {
    throw Error(who + ": update_fields and unique_fields need update_conflicts");
  }
  if (objs.empty())
    return;
  const Dialect &d = dialect();
  // Django's SQLite limit of 999 bound values per statement decides the largest batch.
  std::size_t per_row = m.fields.size();
  std::size_t largest = std::max<std::size_t>(1, 999 / per_row);
  std::size_t batch = o.batch_size ? std::min(static_cast<std::size_t>(*o.batch_size), largest)
                                   : largest;
  Transaction tx;
  for (std::size_t from = 0; from < objs.size(); from += batch) {
    std::size_t to = std::min(objs.size(), from + batch);
    bool all_auto = true, none_auto = true;
    for (std::size_t i = from; i < to; ++i)
      (id_of(m, objs[i]) == 0 ? none_auto : all_auto) = false;
    bool only_id = all_auto && m.fields.size() == 1; // no column to list: DEFAULT VALUES each
    if ((!all_auto && !none_auto && !o.ignore_conflicts && !o.update_conflicts) || only_id) {
      for (std::size_t i = from; i < to; ++i) // mixed ids: each auto id must be read back
        insert_one(m, objs[i]);
      continue;
    }
    std::string cols, rows;
    std::vector<Value> params;
    for (auto &f : m.fields)
      if (!(all_auto && &f == &m.pk_field()))
        cols += (cols.empty() ? "" : ", ") + quote(f.column);
    for (std::size_t i = from; i < to; ++i) {
      std::string marks;
      for (auto &f : m.fields) {
        if (all_auto && &f == &m.pk_field())
          continue;
        Value v = f.get(objs[i]);
        if (&f == &m.pk_field() && v.as_int() == 0 && d.postgres()) {
          marks += (marks.empty() ? "" : ", ") + std::string("DEFAULT"); // the identity's next id
          continue;
        }
        if (&f == &m.pk_field() && v.as_int() == 0)
          v = Value(); // NULL: SQLite assigns the id
        params.push_back(std::move(v));
        marks += (marks.empty() ? "" : ", ") + d.placeholder(params.size());
      }
      rows += (rows.empty() ? "(" : ", (") + marks + ")";
    }
    bool read_ids = all_auto && !o.ignore_conflicts && !o.update_conflicts;
    std::string returning = read_ids ? d.returning(m.pk_field().column) : "";
    std::vector<std::int64_t> ids; // PostgreSQL: RETURNING gives them in VALUES order
    execute((o.ignore_conflicts ? d.insert_ignore_into() : "INSERT INTO ") + quote(m.table) +
                " (" + cols + ") VALUES " + rows +
                (o.ignore_conflicts ? d.on_conflict_ignore() : "") + conflict + returning,
            params, [&](Statement &st) { ids.push_back(st.column(0).as_int()); });
    if (read_ids && !returning.empty()) {
      for (std::size_t i = from; i < to; ++i)
        m.pk_field().set(objs[i], Value(ids.at(i - from)));
    } else if (read_ids) {
      // One statement's automatic ids are consecutive, in row order.
      std::int64_t first = connection().last_insert_id() - static_cast<std::int64_t>(to - from) + 1;
      for (std::size_t i = from; i < to; ++i)
        m.pk_field().set(objs[i], Value(first + static_cast<std::int64_t>(i - from)));
    }
  }
  tx.commit();
}

void save_object(const ModelMeta &m, void *obj) {
  std::int64_t id = id_of(m, obj);
  if (id == 0) {
    insert_one(m, obj);
    return;
  }
  std::string set;
  std::vector<Value> params;
  for (auto &f : m.fields) {
    if (&f == &m.pk_field())
      continue;
    params.push_back(f.get(obj));
    set += (set.empty() ? "" : ", ") + quote(f.column) + " = " +
           dialect().placeholder(params.size());
  }
  params.push_back(id);
  execute("UPDATE " + quote(m.table) + " SET " + set + " WHERE " + quote(m.pk_field().column) +
              " = " + dialect().placeholder(params.size()),
          params);
  if (connection().changes() == 0)
    insert_one(m, obj); // the row is gone: save() recreates it with the same id
}

DeleteResult delete_object(const ModelMeta &m, void *obj) {
  std::int64_t id = id_of(m, obj);
  if (id == 0)
    throw Error(m.name + " object can't be deleted because its id is not set");
  DeleteResult r = delete_ids(m, {id});
  m.pk_field().set(obj, Value(std::int64_t{0}));
  return r;
}

void refresh_object(const ModelMeta &m, void *obj) {
  std::int64_t id = id_of(m, obj);
  if (id == 0)
    throw Error(m.name + " object can't be refreshed because its id is not set");
  auto fresh = fetch_by_pk(m, id);
  for (auto &f : m.fields)
    f.set(obj, f.get(fresh.get()));
}

std::int64_t update(const QueryState &s, const Assignments &changes) {
  require_unsliced(s, "update", "cannot update a query once a slice has been taken");
  std::vector<Value> params;
  QueryState base = s;
  base.mode = Mode::Models;
  Compiler setter(base, params, "u");
  std::string set = setter.update_set(changes); // validates even when nothing matches
  if (s.empty)
    return 0;
  Compiler c(base, params);
  std::string sql = "UPDATE " + quote(s.model->table) + " SET " + set;
  if (!s.where.empty() || s.sliced() || s.distinct)
    sql += " WHERE " + quote(s.model->pk_field().column) + " IN (" + c.pk_select() + ")";
  execute(sql, params);
  return connection().changes();
}

std::int64_t bulk_update(const ModelMeta &m, const std::vector<const void *> &objs,
                         const std::vector<std::string> &fields) {
  if (fields.empty())
    throw FieldError("bulk_update() on " + m.name + " needs at least one field name");
  std::vector<const FieldMeta *> fs;
  for (auto &name : fields) {
    const FieldMeta &f = m.field(name);
    if (&f == &m.pk_field())
      throw FieldError(m.name + ".id: bulk_update() cannot change the primary key");
    fs.push_back(&f);
  }
  for (auto *o : objs)
    if (id_of(m, o) == 0)
      throw Error("bulk_update() on " + m.name + ": every object needs an id (one has id 0)");
  if (objs.empty())
    return 0;
  std::string set;
  for (std::size_t i = 0; i < fs.size(); ++i)
    set += (i ? ", " : "") + quote(fs[i]->column) + " = " + dialect().placeholder(i + 1);
  std::string sql = "UPDATE " + quote(m.table) + " SET " + set + " WHERE " +
                    quote(m.pk_field().column) + " = " + dialect().placeholder(fs.size() + 1);
  std::int64_t total = 0;
  Transaction tx;
  for (auto *o : objs) {
    std::vector<Value> params;
    for (auto *f : fs)
      params.push_back(f->get(o));
    params.emplace_back(id_of(m, o));
    execute(sql, params);
    total += connection().changes();
  }
  tx.commit();
  return total;
}

std::pair<std::shared_ptr<void>, bool> get_or_create(const QueryState &s, const Q &q,
                                                     const void *defaults) {
  const ModelMeta &m = *s.model;
  QueryState f = filtered(s, q);
  Transaction tx;
  auto found = fetch_objects(get_state(f));
  if (!found.empty()) {
    check_get_count(f, found.size(), "get_or_create");
    tx.commit();
    return {found.front(), false};
  }
  auto obj = m.make();
  for (auto &field : m.fields)
    field.set(obj.get(), field.get(defaults));
  apply_exact(m, obj.get(), q);
  insert_one(m, obj.get());
  tx.commit();
  return {obj, true};
}

std::pair<std::shared_ptr<void>, bool>
update_or_create(const QueryState &s, const Q &q, const Assignments &defaults,
                 const std::optional<Assignments> &create_defaults) {
  const ModelMeta &m = *s.model;
  QueryState f = filtered(s, q);
  Transaction tx;
  auto found = fetch_objects(get_state(f));
  if (!found.empty()) {
    check_get_count(f, found.size(), "update_or_create");
    auto obj = found.front();
    if (!defaults.empty()) {
      QueryState one;
      one.model = &m;
      one.where.push_back(Q("id", id_of(m, obj.get())));
      update(one, defaults);
      refresh_object(m, obj.get());
    }
    tx.commit();
    return {obj, false};
  }
  auto obj = m.make();
  apply_exact(m, obj.get(), q);
  for (auto &d : create_defaults ? *create_defaults : defaults) {
    const FieldMeta &field = m.field(d.field);
    auto &node = d.value.node();
    if (node.op != Expr::Op::Literal)
      throw FieldError(m.name + "." + field.name +
                       ": update_or_create() can only create with plain values, not expressions");
    check_value(m, field, node.value, "update_or_create() of");
    field.set(obj.get(), node.value);
  }
  insert_one(m, obj.get());
  tx.commit();
  return {obj, true};
}

void create_table(const ModelMeta &m) {
  const Dialect &d = dialect();
  std::string cols;
  std::vector<std::string> indexes;
  for (auto &f : m.fields) {
    std::string col = quote(f.column);
    if (&f == &m.pk_field()) {
      col += std::string(" ") + d.auto_pk();
    } else {
      col += std::string(" ") + d.column_type(f.type);
      switch (f.type) {
      case FieldType::Integer:
      case FieldType::Bool:
      case FieldType::DateTime:
      case FieldType::Real:
      case FieldType::Text:
        break;
      case FieldType::ForeignKey: {
        // The database enforces on_delete too, for deletes the collector cannot see (a model
        // whose metadata this process never built, or another program).
        const ModelMeta &t = f.related();
        const char *action = f.on_delete == OnDelete::Cascade   ? "CASCADE"
                             : f.on_delete == OnDelete::SetNull ? "SET NULL"
                                                                : "RESTRICT";
        col += " REFERENCES " + quote(t.table) + " (" + quote(t.pk_field().column) +
               ") ON DELETE " + action;
        indexes.push_back("CREATE INDEX IF NOT EXISTS " + quote(m.table + "_" + f.column) + " ON " +
                          quote(m.table) + " (" + quote(f.column) + ")");
        break;
      }
      }
      if (!f.nullable)
        col += " NOT NULL";
    }
    cols += (cols.empty() ? "" : ", ") + col;
  }
  execute("CREATE TABLE IF NOT EXISTS " + quote(m.table) + " (" + cols + ")");
  for (auto &sql : indexes)
    execute(sql);
  for (auto &r : m.many_to_many) {
    const ModelMeta &t = r.related();
    std::string source = quote(r.source), target = quote(r.target_column());
    std::string key = d.column_type(FieldType::ForeignKey);
    execute("CREATE TABLE IF NOT EXISTS " + quote(r.through) + " (\"id\" " + d.auto_pk() + ", " +
            source + " " + key + " NOT NULL REFERENCES " + quote(m.table) + " (" +
            quote(m.pk_field().column) + ") ON DELETE CASCADE, " + target + " " + key +
            " NOT NULL REFERENCES " + quote(t.table) + " (" + quote(t.pk_field().column) +
            ") ON DELETE CASCADE, UNIQUE (" + source + ", " + target + "))");
    execute("CREATE INDEX IF NOT EXISTS " + quote(r.through + "_" + r.target_column()) + " ON " +
            quote(r.through) + " (" + target + ")");
  }
}

void link(const ThroughFilter &t, const std::vector<std::int64_t> &ids) {
  if (ids.empty())
    return;
  Transaction tx;
  const Dialect &d = dialect();
  for (auto id : ids)
    execute(d.insert_ignore_into() + quote(t.table) + " (" + quote(t.match) + ", " +
                quote(t.select) + ") VALUES (" + d.placeholder(1) + ", " + d.placeholder(2) + ")" +
                d.on_conflict_ignore(),
            {Value(t.id), Value(id)});
  tx.commit();
}

// " IN (?n, ...)" (or $n) for ids, numbering the placeholders after the parameters already bound.
static std::string in_list(const std::vector<std::int64_t> &ids, std::vector<Value> &params) {
  if (ids.empty() && dialect().postgres()) // SQLite's "IN ()" (no rows) is a syntax error there
    return " IN (SELECT CAST(NULL AS BIGINT) WHERE FALSE)";
  std::string sql = " IN (";
  for (std::size_t i = 0; i < ids.size(); ++i) {
    params.emplace_back(ids[i]);
    sql += (i ? ", " : "") + dialect().placeholder(params.size());
  }
  return sql + ")";
}

std::int64_t unlink(const ThroughFilter &t, const std::vector<std::int64_t> &ids, bool all) {
  std::string sql =
      "DELETE FROM " + quote(t.table) + " WHERE " + quote(t.match) + " = " + dialect().placeholder(1);
  std::vector<Value> params{Value(t.id)};
  if (!all) {
    if (ids.empty())
      return 0;
    sql += " AND " + quote(t.select) + in_list(ids, params);
  }
  execute(sql, params);
  return connection().changes();
}

std::int64_t set_foreign_key(const ModelMeta &m, const FieldMeta &fk,
                             const std::vector<std::int64_t> &ids, std::int64_t value,
                             std::int64_t only_if) {
  std::vector<Value> params{value == 0 ? Value() : Value(value)};
  const Dialect &d = dialect();
  std::string sql =
      "UPDATE " + quote(m.table) + " SET " + quote(fk.column) + " = " + d.placeholder(1) + " WHERE ";
  if (only_if != 0) {
    params.emplace_back(only_if);
    sql += quote(fk.column) + " = " + d.placeholder(2);
  } else {
    sql += d.truth(true);
  }
  if (!ids.empty() || only_if == 0) {
    sql += " AND " + quote(m.pk_field().column) + in_list(ids, params);
  }
  execute(sql, params);
  return connection().changes();
}

} // namespace aorm::detail
