// PostgreSQL through detail::Connection: every query runs to completion on exec() (prepared once
// per connection), its rows are then stepped from the result in memory.
#include "pg_backend.hpp"

#include "aorm/errors.hpp"

namespace aorm::detail::pg {
namespace {

class PgRows final : public Statement {
public:
  explicit PgRows(Result r) : res_(std::move(r)), rows_(PQntuples(res_.get())) {}
  bool step() override { return ++row_ < rows_; }
  int columns() const override { return PQnfields(res_.get()); }
  std::string column_name(int i) const override {
    const char *n = PQfname(res_.get(), i);
    return n ? n : "";
  }
  Value column(int i) const override { return cell(res_.get(), row_, i); }

private:
  Result res_;
  int rows_ = 0;
  int row_ = -1;
};

class PgSession final : public Connection {
public:
  explicit PgSession(const Target &t) : conn_(t.conninfo) {}

  std::unique_ptr<Statement> query(const std::string &sql,
                                   const std::vector<Value> &params) override {
    Result r = conn_.exec(sql, params);
    changes_ = affected_rows(r.get());
    return std::make_unique<PgRows>(std::move(r));
  }
  std::int64_t changes() const override { return changes_; }
  std::int64_t last_insert_id() const override {
    throw DatabaseError("internal: last_insert_id() on PostgreSQL (ids come from RETURNING)");
  }
  bool broken() const override { return conn_.broken(); }
  const std::string &label() const override { return conn_.label(); }

private:
  PgConnection conn_;
  std::int64_t changes_ = 0;
};

} // namespace

std::unique_ptr<Connection> open(const Target &target) {
  return std::make_unique<PgSession>(target);
}

} // namespace aorm::detail::pg
