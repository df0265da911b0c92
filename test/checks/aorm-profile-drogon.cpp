// RUN: %check_aorm_tidy %s 'aorm-*' %t
// The drogon profile: Drogon's sync ORM, database, HTTP and Redis calls in a drogon::Task
// handler, each beside its awaitable twin; Drogon's task and awaiter types recognised as tasks
// from the language; its eager AsyncTask is not.

#include "Inputs/drogon.hpp"
#include <thread>

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
// CHECK-MESSAGES: :[[@LINE-1]]:20: warning: call to 'findByPrimaryKey' in coroutine 'handler' blocks the event loop; declare 'mapper' as 'orm::CoroMapper<Users>' and 'co_await' each of its calls (no fix-it: 'mapper' is also used on line [[@LINE+17]], where the fix cannot await a call of it); a sync 'Mapper' call after a 'co_await' can deadlock on the database loop it waits for (drogon #2331) [aorm-blocking-call-in-coroutine]
  std::size_t n = mapper.count();
// CHECK-MESSAGES: :[[@LINE-1]]:26: warning: call to 'count' in coroutine 'handler' blocks the event loop; declare 'mapper' as 'orm::CoroMapper<Users>' and 'co_await' each of its calls (no fix-it: {{.*}}) [aorm-blocking-call-in-coroutine]
  auto rows = db->execSqlSync("select * from users where id = ?", 1);
// CHECK-MESSAGES: :[[@LINE-1]]:19: warning: call to 'execSqlSync' in coroutine 'handler' blocks the event loop; use 'co_await db->execSqlCoro(...)' instead [aorm-blocking-call-in-coroutine]
// CHECK-FIXES: {{^}}  auto rows = co_await db->execSqlCoro("select * from users where id = ?", 1);{{$}}
  auto trans = db->newTransaction();
// CHECK-MESSAGES: :[[@LINE-1]]:20: warning: call to 'newTransaction' in coroutine 'handler' blocks the event loop; use 'co_await db->newTransactionCoro()' instead [aorm-blocking-call-in-coroutine]
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
// CHECK-MESSAGES: :[[@LINE-1]]:20: warning: call to 'get' in coroutine 'handler' blocks the event loop; 'co_await' the work the future stands for instead, or move the wait off the event loop [aorm-blocking-call-in-coroutine]
// The range is the call from its name on (clang prints only that line), not the whole chain.
// CHECK-MESSAGES-NEXT: {{^ +[0-9]+ \|                   \.get\(\);$}}
// CHECK-MESSAGES-NEXT: {{^ +\|                    \^~~~~$}}
  std::string name = redis->execCommandSync<std::string>(
// CHECK-MESSAGES: :[[@LINE-1]]:29: warning: call to 'execCommandSync' in coroutine 'handler' blocks the event loop; use 'co_await execCommandCoro(command, args...)' and convert its RedisResult where the processing function did [aorm-blocking-call-in-coroutine]
      [](const nosql::RedisResult &r) { return r.asString(); }, "get %s", "k");
  // A sleep: the advice names Drogon's own timer, declared here.
  std::this_thread::sleep_for(std::chrono::milliseconds(5));
// CHECK-MESSAGES: :[[@LINE-1]]:21: warning: call to 'sleep_for' in coroutine 'handler' blocks the event loop; use 'co_await drogon::sleepCoro(loop, delay)' instead [aorm-blocking-call-in-coroutine]
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

// A local mapper whose every use is a blocking call in the coroutine: the fix retypes it as the
// user spelled it and awaits each call, builder chains included (CoroMapper's return itself).
Task<std::size_t> retyped(orm::DbClientPtr db) {
  orm::Mapper<Users> users(db);
// CHECK-FIXES: {{^}}  orm::CoroMapper<Users> users(db);{{$}}
  Users u = users.findByPrimaryKey(1);
// CHECK-MESSAGES: :[[@LINE-1]]:19: warning: call to 'findByPrimaryKey' in coroutine 'retyped' blocks the event loop; declare 'users' as 'orm::CoroMapper<Users>' and use 'co_await users.findByPrimaryKey(...)' instead; a sync 'Mapper' call after a 'co_await' can deadlock on the database loop it waits for (drogon #2331) [aorm-blocking-call-in-coroutine]
// CHECK-FIXES: {{^}}  Users u = co_await users.findByPrimaryKey(1);{{$}}
  std::vector<Users> page = users.limit(10).orderBy("name").findAll();
// CHECK-MESSAGES: :[[@LINE-1]]:61: warning: call to 'findAll' in coroutine 'retyped' blocks the event loop; declare 'users' as 'orm::CoroMapper<Users>' and use 'co_await users.limit(10).orderBy("name").findAll()' instead; {{.*}} [aorm-blocking-call-in-coroutine]
// CHECK-FIXES: {{^}}  std::vector<Users> page = co_await users.limit(10).orderBy("name").findAll();{{$}}
  co_return users.count() + users.deleteBy(orm::Criteria("id", 2)) + page.size() + u.name.size();
// CHECK-MESSAGES: :[[@LINE-1]]:19: warning: call to 'count' in coroutine 'retyped' blocks the event loop; declare 'users' as {{.*}} [aorm-blocking-call-in-coroutine]
// CHECK-MESSAGES: :[[@LINE-2]]:35: warning: call to 'deleteBy' in coroutine 'retyped' blocks the event loop; declare 'users' as {{.*}} [aorm-blocking-call-in-coroutine]
// CHECK-FIXES: {{^}}  co_return co_await users.count() + co_await users.deleteBy(orm::Criteria("id", 2)) + page.size() + u.name.size();{{$}}
}

// Found through a using-declaration, which does not bring CoroMapper along: the fix qualifies it.
Task<std::size_t> through_using(orm::DbClientPtr db) {
  using drogon::orm::Mapper;
  Mapper<Users> users(db);
// CHECK-FIXES: {{^}}  drogon::orm::CoroMapper<Users> users(db);{{$}}
  co_return (users.count());
// CHECK-MESSAGES: :[[@LINE-1]]:20: warning: call to 'count' in coroutine 'through_using' blocks the event loop; declare 'users' as 'drogon::orm::CoroMapper<Users>' and use 'co_await users.count()' instead; {{.*}} [aorm-blocking-call-in-coroutine]
// CHECK-FIXES: {{^}}  co_return (co_await users.count());{{$}}
}

std::size_t rows_of(orm::Mapper<Users> &m);

// Near misses for the fix: a use the fix cannot await, a call in a lambda run in place, an
// insert (CoroMapper's returns the row instead of filling in the argument), an `auto` mapper.
Task<std::size_t> not_retyped(orm::DbClientPtr db, orm::Mapper<Users> &param) {
  orm::Mapper<Users> passed(db);
  std::size_t n = passed.count() + rows_of(passed);
// CHECK-MESSAGES: :[[@LINE-1]]:26: warning: call to 'count' in coroutine 'not_retyped' blocks the event loop; declare 'passed' as 'orm::CoroMapper<Users>' and 'co_await' each of its calls (no fix-it: 'passed' is also used on line [[@LINE-1]], where the fix cannot await a call of it); {{.*}} [aorm-blocking-call-in-coroutine]
  orm::Mapper<Users> inLambda(db);
  n += inLambda.count();
// CHECK-MESSAGES: :[[@LINE-1]]:17: warning: call to 'count' in coroutine 'not_retyped' blocks the event loop; declare 'inLambda' as 'orm::CoroMapper<Users>' and 'co_await' each of its calls (no fix-it: 'inLambda' is also used on line [[@LINE+1]], {{.*}}) [aorm-blocking-call-in-coroutine]
  n += [&] { return inLambda.count(); }();
// CHECK-MESSAGES: :[[@LINE-1]]:30: warning: call to 'count' in a lambda that coroutine 'not_retyped' runs in place blocks the event loop; declare 'inLambda' as {{.*}} [aorm-blocking-call-in-coroutine]
  orm::Mapper<Users> inserting(db);
  Users fresh;
  inserting.insert(fresh);
// CHECK-MESSAGES: :[[@LINE-1]]:13: warning: call to 'insert' in coroutine 'not_retyped' blocks the event loop; declare the mapper as 'drogon::orm::CoroMapper<T>' and write 'obj = co_await mapper.insert(obj)': its insert returns the inserted row instead of filling in 'obj'; {{.*}} [aorm-blocking-call-in-coroutine]
  n += inserting.count();
// CHECK-MESSAGES: :[[@LINE-1]]:18: warning: call to 'count' in coroutine 'not_retyped' blocks the event loop; declare 'inserting' as 'orm::CoroMapper<Users>' and 'co_await' each of its calls (no fix-it: 'inserting' is also used on line [[@LINE-3]], {{.*}}) [aorm-blocking-call-in-coroutine]
  auto made = orm::Mapper<Users>(db);
  n += made.count();
// CHECK-MESSAGES: :[[@LINE-1]]:13: warning: call to 'count' in coroutine 'not_retyped' blocks the event loop; declare the mapper as 'drogon::orm::CoroMapper<T>' (the same methods, awaitable) and 'co_await' this call (no fix-it: 'made' is not declared with the template's name written out); {{.*}} [aorm-blocking-call-in-coroutine]
  // A parameter (or a member) is not the coroutine's to retype: a note says what to change.
  n += param.count();
// CHECK-MESSAGES: :[[@LINE-1]]:14: warning: call to 'count' in coroutine 'not_retyped' blocks the event loop; declare the mapper as 'drogon::orm::CoroMapper<T>' (the same methods, awaitable) and 'co_await' this call; {{.*}} [aorm-blocking-call-in-coroutine]
// CHECK-MESSAGES: :[[@LINE-21]]:72: note: change the type of parameter 'param' to 'orm::CoroMapper<Users> &' and 'co_await' its calls
  co_return n + fresh.name.size();
}

struct Service {
  orm::Mapper<Users> mapper_;
  Task<std::size_t> total() { co_return mapper_.count(); }
// CHECK-MESSAGES: :[[@LINE-1]]:49: warning: call to 'count' in coroutine 'total' blocks the event loop; declare the mapper as {{.*}} [aorm-blocking-call-in-coroutine]
// CHECK-MESSAGES: :[[@LINE-3]]:22: note: change the type of member 'mapper_' to 'orm::CoroMapper<Users>' and 'co_await' its calls
};

// A generated model's relationship getter that takes a DbClientPtr queries synchronously; its
// callback overload does not.
namespace drogon_model::shop {
struct Orders {
  std::size_t total = 0;
};
struct Customers {
  Orders getOrders(const orm::DbClientPtr &clientPtr) const;
  void getOrders(const orm::DbClientPtr &clientPtr, const std::function<void(Orders)> &rcb,
                 const orm::ExceptionCallback &ecb) const;
  Orders getCached() const; // not a relationship: no client
};
} // namespace drogon_model::shop
Task<std::size_t> relationships(orm::DbClientPtr db, drogon_model::shop::Customers c) {
  drogon_model::shop::Orders o = c.getOrders(db);
// CHECK-MESSAGES: :[[@LINE-1]]:36: warning: call to 'getOrders' in coroutine 'relationships' blocks the event loop; its callback overload 'getOrders(client, rcb, ecb)' does not block: wrap it in an awaiter, or 'co_await' a 'drogon::orm::CoroMapper' query of the related rows; a sync query after a 'co_await' can deadlock on the database loop it waits for (drogon #2331) [aorm-blocking-call-in-coroutine]
  c.getOrders(db, [](drogon_model::shop::Orders) {}, [](const std::exception_ptr &) {});
  co_return o.total + c.getCached().total;
}

// A dependent mapper: the class template's member is named once for every T.
template <class T> Task<T> load(orm::DbClientPtr db) {
  orm::Mapper<T> mapper(db);
// CHECK-FIXES: {{^}}  orm::CoroMapper<T> mapper(db);{{$}}
  co_return mapper.findOne(orm::Criteria("id", 1));
// CHECK-MESSAGES: :[[@LINE-1]]:20: warning: call to 'findOne' in coroutine 'load' blocks the event loop; declare 'mapper' as 'orm::CoroMapper<T>' and use 'co_await mapper.findOne(...)' instead; {{.*}} [aorm-blocking-call-in-coroutine]
// CHECK-FIXES: {{^}}  co_return co_await mapper.findOne(orm::Criteria("id", 1));{{$}}
}
template Task<Users> load<Users>(orm::DbClientPtr);

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
