// The type-erased state of a QuerySet and the library functions that evaluate it. QuerySet<T> is a
// thin typed handle over this; the SQL compiler, backend and evaluation live in src/.
#pragma once

#include "aorm/model.hpp"
#include "aorm/query.hpp"
#include "aorm/value.hpp"

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace aorm::detail {

enum class Mode { Models, Rows, Tuples };

// A many-to-many manager's restriction: `id IN (SELECT select FROM table WHERE match = id)`.
struct ThroughFilter {
  std::string table, match, select;
  std::int64_t id = 0;
};

struct QueryState {
  const ModelMeta *model = nullptr;
  std::vector<ThroughFilter> through; // ANDed with `where`
  std::vector<Q> where; // ANDed; exclude() adds ~Q
  std::vector<OrderBy> order; // "views", "-created", "author__name", F("views").desc()
  bool reversed = false;
  bool distinct = false;
  bool for_update = false; // select_for_update()
  bool empty = false; // none()
  std::int64_t offset = 0;
  std::optional<std::int64_t> limit;
  std::vector<std::string> related;  // select_related
  std::vector<std::string> prefetch; // prefetch_related
  std::vector<Named> annotations;
  Mode mode = Mode::Models;
  std::vector<std::string> fields; // values()/values_list(); empty = every field

  bool sliced() const noexcept { return offset != 0 || limit.has_value(); }
};

// Evaluation: each runs the statements it needs on this thread's connection.
std::vector<std::shared_ptr<void>> fetch_objects(const QueryState &s);
std::vector<Row> fetch_rows(const QueryState &s);
std::int64_t count(const QueryState &s);
bool exists(const QueryState &s);
std::string explain(const QueryState &s);
// get(): at most 21 rows of s, then check_get_count throws DoesNotExist / MultipleObjectsReturned.
QueryState get_state(const QueryState &s);
void check_get_count(const QueryState &s, std::size_t rows, const char *terminal);
// first()/last(): one row, ordered by id when s has no order. Throws as Django does when s is
// sliced and would need reordering (first() unordered) or reversing (last()).
QueryState first_state(const QueryState &s, bool last);
// earliest(fields...)/latest(fields...): s ordered by the fields (each may carry "-"), latest
// reversed as Django's latest() = reverse().earliest(); the caller then get()s one row.
QueryState latest_state(const QueryState &s, const std::vector<std::string> &fields, bool earliest);
bool contains_object(const QueryState &s, const void *obj);
std::int64_t update(const QueryState &s, const Assignments &changes);
DeleteResult delete_rows(const QueryState &s);
DeleteResult delete_ids(const ModelMeta &m, const std::vector<std::int64_t> &ids);
std::map<std::string, Value> aggregate(const QueryState &s, const std::vector<Named> &aggs);
// in_bulk(ids, field_name): objects keyed by an integer field (the id by default).
std::map<std::int64_t, std::shared_ptr<void>>
in_bulk(const QueryState &s, const std::optional<std::vector<std::int64_t>> &ids,
        const std::string &field_name = "pk");
void insert_objects(const ModelMeta &m, const std::vector<void *> &objs); // one transaction
// bulk_create: batches of multi-row INSERTs in one transaction, with Django's conflict options.
void bulk_insert(const ModelMeta &m, const std::vector<void *> &objs,
                 const BulkCreateOptions &options);
std::int64_t bulk_update(const ModelMeta &m, const std::vector<const void *> &objs,
                         const std::vector<std::string> &fields);
// Returns (object, created).
std::pair<std::shared_ptr<void>, bool> get_or_create(const QueryState &s, const Q &q,
                                                     const void *defaults);
std::pair<std::shared_ptr<void>, bool>
update_or_create(const QueryState &s, const Q &q, const Assignments &defaults,
                 const std::optional<Assignments> &create_defaults = std::nullopt);
// raw(sql, params): objects of m from the columns the SQL returns (matched by column name).
std::vector<std::shared_ptr<void>> fetch_raw(const ModelMeta &m, const std::string &sql,
                                             const std::vector<Value> &params);
// prefetch_related: each name is a path of relations ("author", "comment_set", "tags",
// "comment_set__author"): a foreign key fills its ForeignKey cache, a reverse foreign key
// ("<model>_set") or a many-to-many (forward name, or "<model>_set" backwards) stores a
// std::vector of the related objects on each object. One query per hop.
void prefetch_objects(const ModelMeta &m, const std::vector<void *> &objs,
                      const std::vector<std::string> &names);
// Links of a many-to-many manager: add (ignoring existing links), remove, clear (ids empty and
// all=true) -- `source_id`'s rows in `through` between `match` and `select` columns.
void link(const ThroughFilter &t, const std::vector<std::int64_t> &ids);
std::int64_t unlink(const ThroughFilter &t, const std::vector<std::int64_t> &ids, bool all);
// A reverse foreign key manager: set `fk` of the rows `ids` of m to `value` (NULL when 0), only
// where `only_if` (the current owner, 0: any) matches; returns the rows changed.
std::int64_t set_foreign_key(const ModelMeta &m, const FieldMeta &fk,
                             const std::vector<std::int64_t> &ids, std::int64_t value,
                             std::int64_t only_if);
// A query streamed in batches over one statement (iterator/aiterator). Opened on the first batch
// on a cursor connection (see backend); one thread at a time may use it, from any thread.
class Stream {
public:
  explicit Stream(QueryState s);
  ~Stream();
  Stream(Stream &&) noexcept;
  Stream &operator=(Stream &&) noexcept;
  std::vector<std::shared_ptr<void>> next_objects(std::size_t n); // Models
  std::vector<Row> next_rows(std::size_t n);                      // Rows and Tuples
  bool done() const noexcept;

private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// qs[i]: the one row at index i, or nothing.
QueryState index_state(const QueryState &s, std::int64_t index);

// Narrows s to rows [start, stop) of its current result (a slice of a slice stays inside it).
// Throws aorm::Error for a negative start or a stop before the start.
void apply_slice(QueryState &s, const Slice &slice);

// Validation (no SQL): throws aorm::Error naming `call` with Django's reason ("Cannot reorder a
// query once a slice has been taken") when s is sliced.
void require_unsliced(const QueryState &s, const char *call, const char *reason);

} // namespace aorm::detail
