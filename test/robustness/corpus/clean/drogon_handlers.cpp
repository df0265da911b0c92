// Correct Drogon code (mock headers of test/checks/Inputs): handlers await CoroMapper, execSqlCoro
// and sendRequestCoro; sync Mapper calls stay in plain functions; callback overloads do not block.
#include "drogon.hpp"

using namespace drogon;

namespace shop {
struct Users {
  using PrimaryKeyType = int;
  std::string name;
};

Task<std::size_t> active_users(orm::DbClientPtr db) {
  orm::CoroMapper<Users> users(db);
  std::size_t n = co_await users.count(orm::Criteria("active", 1));
  std::vector<Users> page = co_await users.limit(20).orderBy("name").findAll();
  co_return n + page.size();
}

Task<Users> one_user(orm::DbClientPtr db, int id) {
  orm::CoroMapper<Users> users(db);
  co_return co_await users.findByPrimaryKey(id);
}

Task<std::size_t> raw_sql(orm::DbClientPtr db) {
  auto rows = co_await db->execSqlCoro("select * from users where id = ?", 1);
  auto trans = co_await db->newTransactionCoro();
  co_return rows.size() + (trans ? 1 : 0);
}

Task<HttpResponsePtr> proxy(HttpClientPtr client, HttpRequestPtr req) {
  client->sendRequest(req, [](ReqResult, const HttpResponsePtr &) {});
  co_return co_await client->sendRequestCoro(req);
}

std::size_t nightly_report(orm::DbClientPtr db) {
  orm::Mapper<Users> users(db);
  return users.count() + db->execSqlSync("select 1").size();
}
} // namespace shop
