// Drogon misuse (mock headers of test/checks/Inputs): sync ORM and client calls in handlers.
#include "drogon.hpp"

using namespace drogon;

struct Users {
  using PrimaryKeyType = int;
  std::string name;
};

Task<std::size_t> count_users(orm::DbClientPtr db) {
  orm::Mapper<Users> users(db);
  std::size_t n = users.count();
  Users first = users.findByPrimaryKey(1);
  auto rows = db->execSqlSync("select * from users");
  co_return n + rows.size() + first.name.size();
}

Task<std::size_t> through_parameter(orm::Mapper<Users> &users) {
  co_return users.count();
}
