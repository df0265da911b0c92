// The SQL compiler (private): the one place that turns a QueryState into SQL text. Identifiers come
// only from model metadata; every value becomes a numbered bound parameter (?N or $N). What
// differs between SQLite and PostgreSQL is in Dialect.
#pragma once

#include "backend.hpp"

#include "aorm/detail/state.hpp"

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace aorm::detail {

// The SQL of one backend, where SQLite and PostgreSQL differ.
class Dialect {
public:
  explicit constexpr Dialect(Backend b) : backend_(b) {}
  Backend backend() const noexcept { return backend_; }
  bool postgres() const noexcept { return backend_ == Backend::Postgres; }

  // The n-th (1-based) bound parameter: ?n or $n.
  std::string placeholder(std::size_t n) const;
  // A constant condition: 1/0 on SQLite, TRUE/FALSE on PostgreSQL (WHERE needs a boolean there).
  const char *truth(bool value) const noexcept;
  // The bound value of LIMIT when only OFFSET is wanted: -1 on SQLite, NULL on PostgreSQL.
  Value no_limit() const;
  // Appended to an INSERT to read the new ids back (PostgreSQL); "" on SQLite (last_insert_id).
  std::string returning(const std::string &pk_column) const;
  // INSERT that skips rows conflicting with a unique constraint: prefix "INSERT OR IGNORE INTO"
  // and suffix "" on SQLite; "INSERT INTO" and " ON CONFLICT DO NOTHING" on PostgreSQL.
  const char *insert_ignore_into() const noexcept;
  const char *on_conflict_ignore() const noexcept;
  // Column types for CREATE TABLE: the automatic primary key, and each field type.
  const char *auto_pk() const noexcept;
  const char *column_type(FieldType t) const noexcept;
  // Turns a SELECT into the query that explains it.
  const char *explain_prefix() const noexcept;
  // One row when the table exists, none otherwise; its one parameter is the table name.
  const char *table_exists() const noexcept;
  // The SQL for a text lookup (iexact, contains, startswith ... and their i-forms) on column c
  // with pattern operand x (a placeholder or an expression).
  std::string text_lookup(const std::string &lookup, const std::string &c,
                          const std::string &x) const;

private:
  Backend backend_;
};

// The dialect of the current default database.
const Dialect &dialect() noexcept;

// What one result column holds, so raw SQLite values can be decoded (bool, DateTime ...).
struct Column {
  std::string name;
  std::optional<FieldType> type; // nullopt: keep SQLite's own type
};

// A select_related target: the object at `path` hangs off the object at `parent` via `fk`.
struct RelatedPlan {
  std::string path;
  std::string parent; // "" is the root object
  const FieldMeta *fk = nullptr;
  const ModelMeta *model = nullptr;
};

struct SelectPlan {
  std::string sql;
  std::vector<RelatedPlan> related; // Models: after the root's columns, in this order
  std::vector<Column> extra;        // Models: annotations; Rows/Tuples: every column
};

class Compiler {
public:
  // `params` collects bound values; several compilers may share one list for nested queries.
  Compiler(const QueryState &s, std::vector<Value> &params, std::string prefix = "t");

  SelectPlan select();
  // SELECT <root id> with the same filters, order and slice (for update/delete/aggregate).
  std::string pk_select();
  // SELECT <aggregates> over the rows whose id is in `pk_sql` (empty: every row).
  std::string aggregate_select(const std::vector<Named> &aggs, const std::string &pk_sql,
                               std::vector<Column> &columns);
  // SELECT of one column (the id, or the one values() field) for `x__in=<QuerySet>`.
  std::string column_select();
  // `"col" = expr, ...` for UPDATE "table" (no joins allowed).
  std::string update_set(const Assignments &changes);

private:
  struct Ref {
    std::string sql;
    std::optional<FieldType> type;
    const FieldMeta *field = nullptr;
    bool aggregate = false;
    bool nullable = false; // the value may be NULL: a nullable field, a LEFT JOIN, an annotation
  };

  Ref resolve(const std::string &path, std::size_t &used, std::vector<std::string> &parts,
              const char *context);
  Ref resolve_value(const std::string &path, const char *context); // no lookup allowed
  std::string join(const std::string &path, const FieldMeta &fk, const std::string &parent_alias);
  std::string expr(const Expr::Node &e, std::optional<FieldType> &type, bool &aggregate,
                   const char *context);
  // `negated`: under an odd number of ~ (exclude() is one), where Django keeps the rows whose
  // column is NULL: NOT (col = v AND col IS NOT NULL).
  std::string condition(const Q &q, bool &aggregate, bool negated);
  std::string leaf(const Q::Node &n, bool &aggregate, bool negated);
  std::string param(Value v);
  std::string from_clause() const;
  std::string where_clause(std::string &having);
  std::string order_clause();
  std::string limit_clause();
  const Named *annotation(const std::string &name) const;

  const QueryState &s_;
  const ModelMeta &m_;
  std::vector<Value> &params_;
  std::string prefix_;
  std::string base_; // alias of the root table
  bool allow_joins_ = true;
  std::vector<std::pair<std::string, std::string>> joins_; // path -> alias
  std::string join_sql_;
  int annotation_depth_ = 0;
  int subqueries_ = 0;
  const Dialect &d_ = dialect();
};

std::string quote(const std::string &identifier);
std::string describe(const Q &q);
void check_value(const ModelMeta &m, const FieldMeta &f, const Value &v, const std::string &what);

} // namespace aorm::detail
