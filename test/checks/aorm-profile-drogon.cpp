// RUN: %check_aorm_tidy %s 'aorm-*' %t
// The drogon profile: Drogon's sync ORM, database, HTTP and Redis calls in a drogon::Task
// handler, each beside its awaitable twin; Drogon's task and awaiter types recognised as tasks
// from the language; its eager AsyncTask is not.

#include "Inputs/drogon.hpp"

using namespace drogon;

namespace drogon_model {
struct Users {
  using PrimaryKeyType = int;
  std::string name;
};
} // namespace drogon_model
using drogon_model::Users;

Task<int> other();

Task<std::size_t> handler(orm::DbClientPtr db, HttpClientPtr client, HttpRequestPtr req,
                          nosql::RedisClientPtr redis) {
  orm::Mapper<Users> mapper(db);
  Users u = mapper.findByPrimaryKey(1);
// CHECK-MESSAGES: :[[@LINE-1]]:20: warning: call to 'findByPrimaryKey' in coroutine 'handler' blocks the event loop; declare the mapper as 'drogon::orm::CoroMapper<T>' (the same methods, awaitable) and 'co_await' this call; a sync 'Mapper' call after a 'co_await' can deadlock on the database loop it waits for (drogon #2331) [aorm-blocking-call-in-coroutine]
  std::size_t n = mapper.count();
// CHECK-MESSAGES: :[[@LINE-1]]:26: warning: call to 'count' in coroutine 'handler' blocks the event loop; declare the mapper as {{.*}} [aorm-blocking-call-in-coroutine]
  auto rows = db->execSqlSync("select * from users where id = ?", 1);
// CHECK-MESSAGES: :[[@LINE-1]]:19: warning: call to 'execSqlSync' in coroutine 'handler' blocks the event loop; use 'co_await db->execSqlCoro(...)' instead [aorm-blocking-call-in-coroutine]
// CHECK-FIXES: {{^}}  auto rows = co_await db->execSqlCoro("select * from users where id = ?", 1);{{$}}
  auto trans = db->newTransaction();
// CHECK-MESSAGES: :[[@LINE-1]]:20: warning: call to 'newTransaction' in coroutine 'handler' blocks the event loop; use 'co_await db->newTransactionCoro(...)' instead [aorm-blocking-call-in-coroutine]
// CHECK-FIXES: {{^}}  auto trans = co_await db->newTransactionCoro();{{$}}
  auto withCallback = db->newTransaction([](bool committed) {});
// CHECK-MESSAGES: :[[@LINE-1]]:27: warning: call to 'newTransaction' in coroutine 'handler' blocks the event loop; its async twin 'newTransactionCoro' does not take these arguments; rewrite the call and 'co_await newTransactionCoro(...)' [aorm-blocking-call-in-coroutine]
  auto [result, resp] = client->sendRequest(req);
// CHECK-MESSAGES: :[[@LINE-1]]:33: warning: call to 'sendRequest' in coroutine 'handler' blocks the event loop; 'co_await' on its async twin 'sendRequestCoro' yields 'HttpResponsePtr', not 'std::pair<ReqResult, HttpResponsePtr>'; await it into a named variable first and use that [aorm-blocking-call-in-coroutine]
  int v = drogon::sync_wait(other());
// CHECK-MESSAGES: :[[@LINE-1]]:19: warning: call to 'sync_wait' in coroutine 'handler' blocks the event loop; use 'co_await other()' instead [aorm-blocking-call-in-coroutine]
// CHECK-FIXES: {{^}}  int v = co_await (other());{{$}}
  // A chain over two lines: the finding sits on the blocking call's name, on the second line.
  Users one = mapper.findFutureOne(orm::Criteria("id", 2))
                  .get();
// CHECK-MESSAGES: :[[@LINE-1]]:20: warning: call to 'get' in coroutine 'handler' blocks the event loop; 'co_await' the work the future stands for instead {{.*}} [aorm-blocking-call-in-coroutine]
// The range is the call from its name on (clang prints only that line), not the whole chain.
// CHECK-MESSAGES-NEXT: {{^ +[0-9]+ \|                   \.get\(\);$}}
// CHECK-MESSAGES-NEXT: {{^ +\|                    \^~~~~$}}
  std::string name = redis->execCommandSync<std::string>(
// CHECK-MESSAGES: :[[@LINE-1]]:29: warning: call to 'execCommandSync' in coroutine 'handler' blocks the event loop; use 'co_await execCommandCoro(command, args...)' and convert its RedisResult where the processing function did [aorm-blocking-call-in-coroutine]
      [](const nosql::RedisResult &r) { return r.asString(); }, "get %s", "k");
  // Awaitables dropped: Drogon's task and its awaiters are tasks by the language's rules.
  other();
// CHECK-MESSAGES: :[[@LINE-1]]:3: warning: task returned by 'other' is discarded, so it never runs; use 'co_await other()' instead [aorm-missing-co-await]
// CHECK-FIXES: {{^}}  co_await other();{{$}}
  db->execSqlCoro("delete from users");
// CHECK-MESSAGES: :[[@LINE-1]]:3: warning: task returned by 'execSqlCoro' is discarded, so it never runs; use 'co_await db->execSqlCoro("delete from users")' instead [aorm-missing-co-await]
// CHECK-FIXES: {{^}}  co_await db->execSqlCoro("delete from users");{{$}}
  co_return n + rows.size() + static_cast<std::size_t>(v) + name.size() + u.name.size() + one.name.size() +
            (trans && withCallback && resp ? 1 : 0);
}

// A dependent mapper: the class template's member is named once for every T.
template <class T> Task<T> load(orm::DbClientPtr db) {
  orm::Mapper<T> mapper(db);
  co_return mapper.findOne(orm::Criteria("id", 1));
// CHECK-MESSAGES: :[[@LINE-1]]:20: warning: call to 'findOne' in coroutine 'load' blocks the event loop; declare the mapper as {{.*}} [aorm-blocking-call-in-coroutine]
}

// ---- near misses ------------------------------------------------------------------------------

namespace mine {
struct Db {
  orm::Result execSqlSync(const std::string &sql);
};
} // namespace mine

Task<std::size_t> fine(orm::DbClientPtr db, HttpClientPtr client, HttpRequestPtr req, mine::Db own) {
  orm::CoroMapper<Users> mapper(db);
  Users u = co_await mapper.findByPrimaryKey(1);
  std::size_t n = co_await mapper.count();
  auto rows = co_await db->execSqlCoro("select 1");
  auto trans = co_await db->newTransactionCoro();
  HttpResponsePtr resp = co_await client->sendRequestCoro(req);
  // The callback overloads do not block.
  orm::Mapper<Users> callbacks(db);
  callbacks.findByPrimaryKey(1, [](Users) {}, [](const std::exception_ptr &) {});
  client->sendRequest(req, [](ReqResult, const HttpResponsePtr &) {});
  // Same names on an unrelated type.
  auto mineRows = own.execSqlSync("select 1");
  co_return n + rows.size() + mineRows.size() + u.name.size() + (trans && resp ? 1 : 0);
}

// An eager coroutine: fire and forget, nothing to await.
AsyncTask fire_and_forget(orm::DbClientPtr db) {
  co_await db->execSqlCoro("update users set n = n + 1");
}
Task<void> starts_one(orm::DbClientPtr db) {
  fire_and_forget(db);
  co_return;
}

// Sync code may block.
std::size_t sync_code(orm::DbClientPtr db) {
  orm::Mapper<Users> mapper(db);
  return mapper.count() + db->execSqlSync("select 1").size();
}
