// delete(): Django's Collector. Before anything is deleted it walks the foreign keys that point at
// the doomed rows (through every registered model) and applies their on_delete rule: CASCADE adds
// the referencing rows, PROTECT and RESTRICT refuse, SET_NULL clears the reference. Then, in one
// transaction, it clears, deletes children before parents, and counts the rows per model.
#include "backend.hpp"
#include "compiler.hpp"

#include "aorm/db.hpp"
#include "aorm/detail/state.hpp"

#include <algorithm>
#include <set>

namespace aorm::detail {
namespace {

constexpr std::size_t kIdsPerStatement = 500; // well under SQLite's bound-variable limit

std::string id_list(const std::vector<std::int64_t> &ids, std::size_t from, std::size_t to,
                    std::vector<Value> &params) {
  std::string out;
  for (std::size_t i = from; i < to; ++i) {
    params.emplace_back(ids[i]);
    out += (i == from ? "" : ", ") + dialect().placeholder(params.size());
  }
  return out;
}

// Calls fn(sql, params) once per slice of ids, with `WHERE <column> IN (<slice>)` appended.
template <class Fn>
void for_id_slices(const std::vector<std::int64_t> &ids, const std::string &head,
                   const std::string &column, Fn fn) {
  for (std::size_t from = 0; from < ids.size(); from += kIdsPerStatement) {
    std::size_t to = std::min(ids.size(), from + kIdsPerStatement);
    std::vector<Value> params;
    std::string sql = head + " WHERE " + quote(column) + " IN (" + id_list(ids, from, to, params) +
                      ")";
    fn(sql, params);
  }
}

std::vector<std::int64_t> referencing(const ModelMeta &r, const FieldMeta &fk,
                                      const std::vector<std::int64_t> &ids) {
  std::vector<std::int64_t> out;
  for_id_slices(ids, "SELECT " + quote(r.pk_field().column) + " FROM " + quote(r.table),
                fk.column, [&](const std::string &sql, const std::vector<Value> &params) {
                  execute(sql, params, [&](Statement &st) { out.push_back(st.column(0).as_int()); });
                });
  return out;
}

// Registered models whose table is not in this database hold no rows to collect.
bool table_exists(const std::string &table) {
  bool found = false;
  execute(dialect().table_exists(), {Value(table)}, [&](Statement &) { found = true; });
  return found;
}

struct Collector {
  std::map<std::string, bool> tables; // table -> exists, asked once per delete

  bool exists(const std::string &table) {
    auto it = tables.find(table);
    if (it == tables.end())
      it = tables.emplace(table, table_exists(table)).first;
    return it->second;
  }

  std::vector<const ModelMeta *> order; // first discovery order; deleted in reverse
  std::map<const ModelMeta *, std::set<std::int64_t>> doomed;
  struct Clear {
    const ModelMeta *model;
    const FieldMeta *fk;
    std::vector<std::int64_t> ids;
  };
  std::vector<Clear> clears;
  std::vector<Clear> restricted; // checked once everything cascading is known
  struct Links {
    std::string label, table, column; // "Post_tags", its through table, the doomed side's column
    std::vector<std::int64_t> ids;
  };
  std::vector<Links> links; // many-to-many rows that go with the doomed rows

  void add(const ModelMeta &m, const std::vector<std::int64_t> &ids) {
    std::vector<std::int64_t> fresh;
    auto &set = doomed[&m];
    if (std::find(order.begin(), order.end(), &m) == order.end())
      order.push_back(&m);
    for (auto id : ids)
      if (set.insert(id).second)
        fresh.push_back(id);
    if (fresh.empty())
      return;
    for (const ModelMeta *r : registered_models())
      for (auto &rel : r->many_to_many) {
        if (!exists(rel.through))
          continue;
        if (r == &m)
          links.push_back(Links{r->name + "_" + rel.name, rel.through, rel.source, fresh});
        if (&rel.related() == &m)
          links.push_back(Links{r->name + "_" + rel.name, rel.through, rel.target_column(), fresh});
      }
    for (const ModelMeta *r : registered_models())
      for (auto &f : r->fields) {
        if (f.type != FieldType::ForeignKey || &f.related() != &m || !exists(r->table))
          continue;
        auto refs = referencing(*r, f, fresh);
        if (refs.empty())
          continue;
        switch (f.on_delete) {
        case OnDelete::Cascade:
          add(*r, refs);
          break;
        case OnDelete::Protect:
          throw ProtectedError("cannot delete some instances of model '" + m.name +
                               "' because they are referenced through protected foreign keys: '" +
                               r->name + "." + f.name + "' (" + std::to_string(refs.size()) +
                               " rows)");
        case OnDelete::Restrict:
          restricted.push_back(Clear{r, &f, refs});
          break;
        case OnDelete::SetNull:
          clears.push_back(Clear{r, &f, refs});
          break;
        }
      }
  }

  void check_restricted() const {
    for (auto &c : restricted) {
      auto it = doomed.find(c.model);
      for (auto id : c.ids)
        if (it == doomed.end() || !it->second.count(id))
          throw RestrictedError("cannot delete some instances of model '" +
                                c.fk->related().name +
                                "' because they are referenced through restricted foreign keys: '" +
                                c.model->name + "." + c.fk->name + "' (" + c.model->name + " " +
                                std::to_string(id) + " is not deleted with them)");
    }
  }

  // Models whose rows reference another collected model go first, so the database's own
  // ON DELETE never removes (or refuses) a row before its DELETE counts it. A cycle falls back
  // to discovery order reversed.
  std::vector<const ModelMeta *> children_first() const {
    std::vector<const ModelMeta *> left(order.rbegin(), order.rend()), out;
    auto referenced_by_left = [&](const ModelMeta *m) {
      for (const ModelMeta *other : left)
        if (other != m)
          for (auto &f : other->fields)
            if (f.type == FieldType::ForeignKey && &f.related() == m)
              return true;
      return false;
    };
    while (!left.empty()) {
      auto next = std::find_if(left.begin(), left.end(),
                               [&](const ModelMeta *m) { return !referenced_by_left(m); });
      if (next == left.end())
        next = left.begin();
      out.push_back(*next);
      left.erase(next);
    }
    return out;
  }

  DeleteResult run() {
    check_restricted();
    DeleteResult result;
    Transaction tx;
    for (auto &c : clears) {
      std::vector<std::int64_t> keep;
      auto it = doomed.find(c.model);
      for (auto id : c.ids)
        if (it == doomed.end() || !it->second.count(id))
          keep.push_back(id);
      for_id_slices(keep,
                    "UPDATE " + quote(c.model->table) + " SET " + quote(c.fk->column) + " = NULL",
                    c.model->pk_field().column,
                    [](const std::string &sql, const std::vector<Value> &params) {
                      execute(sql, params);
                    });
    }
    for (auto &l : links) {
      std::int64_t n = 0;
      for_id_slices(l.ids, "DELETE FROM " + quote(l.table), l.column,
                    [&](const std::string &sql, const std::vector<Value> &params) {
                      execute(sql, params);
                      n += connection().changes();
                    });
      if (n > 0) {
        result.per_model[l.label] += n;
        result.total += n;
      }
    }
    for (const ModelMeta *m : children_first()) {
      const ModelMeta &model = *m;
      std::vector<std::int64_t> ids(doomed[&model].begin(), doomed[&model].end());
      std::int64_t n = 0;
      for_id_slices(ids, "DELETE FROM " + quote(model.table), model.pk_field().column,
                    [&](const std::string &sql, const std::vector<Value> &params) {
                      execute(sql, params);
                      n += connection().changes();
                    });
      if (n > 0) {
        result.per_model[model.name] += n;
        result.total += n;
      }
    }
    tx.commit();
    return result;
  }
};

} // namespace

DeleteResult delete_ids(const ModelMeta &m, const std::vector<std::int64_t> &ids) {
  if (ids.empty())
    return {};
  // Collecting reads and the deletes must see one state: one transaction around both.
  Transaction tx;
  Collector c;
  c.add(m, ids);
  DeleteResult r = c.run();
  tx.commit();
  return r;
}

DeleteResult delete_rows(const QueryState &s) {
  require_unsliced(s, "delete_", "cannot use 'limit' or 'offset' with delete()");
  // Django refuses these rather than guess which rows a projection or DISTINCT means.
  if (s.distinct)
    throw Error("delete_() on a " + s.model->name + " QuerySet: cannot call delete() after "
                ".distinct()");
  if (s.mode != Mode::Models)
    throw Error("delete_() on a " + s.model->name + " QuerySet: cannot call delete() after "
                ".values() or .values_list()");
  if (s.empty)
    return {};
  std::vector<Value> params;
  QueryState base = s;
  base.mode = Mode::Models;
  base.order.clear();
  Compiler c(base, params);
  std::string sql = c.pk_select();
  std::vector<std::int64_t> ids;
  Transaction tx;
  execute(sql, params, [&](Statement &st) { ids.push_back(st.column(0).as_int()); });
  DeleteResult r = delete_ids(*s.model, ids);
  tx.commit();
  return r;
}

} // namespace aorm::detail
