// Declarations of the parts of Drogon's public API the drogon profile names, after its headers
// (drogon/utils/coroutine.h, drogon/orm/{DbClient,Mapper,CoroMapper,Result}.h,
// drogon/HttpClient.h, drogon/nosql/RedisClient.h). Bodies are left out or minimal.
#pragma once
#include <chrono>
#include <coroutine>
#include <cstddef>
#include <exception>
#include <functional>
#include <future>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace drogon {
// A lazy task: the coroutine runs when awaited.
template <class T = void> struct [[nodiscard]] Task {
  struct promise_type;
  using handle_type = std::coroutine_handle<promise_type>;
  struct promise_type {
    T value{};
    Task get_return_object() { return Task{handle_type::from_promise(*this)}; }
    std::suspend_always initial_suspend() noexcept { return {}; }
    std::suspend_always final_suspend() noexcept { return {}; }
    void return_value(T v) { value = std::move(v); }
    void unhandled_exception() { std::terminate(); }
  };
  struct awaiter {
    handle_type h;
    bool await_ready() const noexcept { return false; }
    std::coroutine_handle<> await_suspend(std::coroutine_handle<>) noexcept { return h; }
    T await_resume() { return std::move(h.promise().value); }
  };
  explicit Task(handle_type h) : coro_(h) {}
  awaiter operator co_await() && noexcept { return awaiter{coro_}; }
  handle_type coro_;
};
template <> struct [[nodiscard]] Task<void> {
  struct promise_type {
    Task get_return_object() { return Task{std::coroutine_handle<promise_type>::from_promise(*this)}; }
    std::suspend_always initial_suspend() noexcept { return {}; }
    std::suspend_always final_suspend() noexcept { return {}; }
    void return_void() {}
    void unhandled_exception() { std::terminate(); }
  };
  struct awaiter {
    std::coroutine_handle<promise_type> h;
    bool await_ready() const noexcept { return false; }
    std::coroutine_handle<> await_suspend(std::coroutine_handle<>) noexcept { return h; }
    void await_resume() {}
  };
  explicit Task(std::coroutine_handle<promise_type> h) : coro_(h) {}
  awaiter operator co_await() && noexcept { return awaiter{coro_}; }
  std::coroutine_handle<promise_type> coro_;
};
// Fire and forget: starts at once.
struct AsyncTask {
  struct promise_type {
    AsyncTask get_return_object() noexcept { return {}; }
    std::suspend_never initial_suspend() const noexcept { return {}; }
    std::suspend_never final_suspend() const noexcept { return {}; }
    void return_void() noexcept {}
    void unhandled_exception() { std::terminate(); }
  };
};
namespace internal {
struct TimerAwaiter {
  bool await_ready() const noexcept { return false; }
  void await_suspend(std::coroutine_handle<>);
  void await_resume() noexcept {}
};
} // namespace internal
} // namespace drogon
namespace trantor {
class EventLoop;
} // namespace trantor
namespace drogon {
internal::TimerAwaiter sleepCoro(trantor::EventLoop *loop,
                                 const std::chrono::duration<double> &delay) noexcept;
template <class Await> auto sync_wait(Await &&await) -> decltype(std::move(await).operator co_await().await_resume());

namespace orm {
class Result {
public:
  std::size_t size() const noexcept;
  std::size_t affectedRows() const noexcept;
};
class Criteria {
public:
  Criteria() = default;
  Criteria(const std::string &col, int value);
};
class Transaction;
namespace internal {
struct SqlAwaiter {
  bool await_ready() const noexcept { return false; }
  void await_suspend(std::coroutine_handle<>);
  Result await_resume();
};
// What CoroMapper's methods return (drogon/orm/CoroMapper.h): an awaiter, not a task.
template <class ReturnType> struct [[nodiscard]] MapperAwaiter {
  bool await_ready() const noexcept { return false; }
  void await_suspend(std::coroutine_handle<>);
  ReturnType await_resume();
};
struct TransactionAwaiter {
  bool await_ready() const noexcept { return false; }
  void await_suspend(std::coroutine_handle<>);
  std::shared_ptr<Transaction> await_resume();
};
} // namespace internal
class DbClient {
public:
  virtual ~DbClient();
  template <class... Arguments> Result execSqlSync(const std::string &sql, Arguments &&...args) noexcept(false);
  template <class... Arguments> internal::SqlAwaiter execSqlCoro(const std::string &sql, Arguments &&...args) noexcept;
  virtual std::shared_ptr<Transaction> newTransaction(
      const std::function<void(bool)> &commitCallback = std::function<void(bool)>()) noexcept(false) = 0;
  internal::TransactionAwaiter newTransactionCoro();
};
class Transaction : public DbClient {
public:
  virtual void rollback() = 0;
};
using DbClientPtr = std::shared_ptr<DbClient>;
using ExceptionCallback = std::function<void(const std::exception_ptr &)>;

enum class SortOrder { ASC, DESC };

template <class T> class Mapper {
public:
  using SingleRowCallback = std::function<void(T)>;
  using MultipleRowsCallback = std::function<void(std::vector<T>)>;
  using CountCallback = std::function<void(std::size_t)>;
  explicit Mapper(DbClientPtr client);
  Mapper<T> &limit(std::size_t limit);
  Mapper<T> &offset(std::size_t offset);
  Mapper<T> &orderBy(const std::string &colName, const SortOrder &order = SortOrder::ASC);
  T findByPrimaryKey(const typename T::PrimaryKeyType &key) noexcept(false);
  void findByPrimaryKey(const typename T::PrimaryKeyType &key, const SingleRowCallback &rcb,
                        const ExceptionCallback &ecb) noexcept;
  std::vector<T> findAll() noexcept(false);
  void findAll(const MultipleRowsCallback &rcb, const ExceptionCallback &ecb) noexcept;
  T findOne(const Criteria &criteria) noexcept(false);
  std::future<T> findFutureOne(const Criteria &criteria) noexcept;
  std::vector<T> findBy(const Criteria &criteria) noexcept(false);
  std::size_t count(const Criteria &criteria = Criteria()) noexcept(false);
  void count(const Criteria &criteria, const CountCallback &rcb, const ExceptionCallback &ecb) noexcept;
  void insert(T &obj) noexcept(false);
  std::size_t update(const T &obj) noexcept(false);
  std::size_t deleteOne(const T &obj) noexcept(false);
  std::size_t deleteBy(const Criteria &criteria) noexcept(false);
  std::size_t deleteByPrimaryKey(const typename T::PrimaryKeyType &key) noexcept(false);
};
// The coroutine interface: the same names, each returning an awaiter and taking no callback; the
// builder steps return the CoroMapper itself.
template <class T> class CoroMapper : public Mapper<T> {
public:
  explicit CoroMapper(DbClientPtr client) : Mapper<T>(std::move(client)) {}
  CoroMapper<T> &limit(std::size_t limit);
  CoroMapper<T> &offset(std::size_t offset);
  CoroMapper<T> &orderBy(const std::string &colName, const SortOrder &order = SortOrder::ASC);
  internal::MapperAwaiter<T> findByPrimaryKey(const typename T::PrimaryKeyType &key);
  internal::MapperAwaiter<std::vector<T>> findAll();
  internal::MapperAwaiter<T> findOne(const Criteria &criteria);
  internal::MapperAwaiter<std::vector<T>> findBy(const Criteria &criteria);
  internal::MapperAwaiter<std::size_t> count(const Criteria &criteria = Criteria());
  internal::MapperAwaiter<T> insert(const T &obj);
  internal::MapperAwaiter<std::size_t> update(const T &obj);
  internal::MapperAwaiter<std::size_t> deleteOne(const T &obj);
  internal::MapperAwaiter<std::size_t> deleteBy(const Criteria &criteria);
  internal::MapperAwaiter<std::size_t> deleteByPrimaryKey(const typename T::PrimaryKeyType &key);
};
} // namespace orm

class HttpRequest;
class HttpResponse;
using HttpRequestPtr = std::shared_ptr<HttpRequest>;
using HttpResponsePtr = std::shared_ptr<HttpResponse>;
enum class ReqResult { Ok = 0, BadResponse, NetworkFailure };
using HttpReqCallback = std::function<void(ReqResult, const HttpResponsePtr &)>;
namespace internal {
struct HttpRespAwaiter {
  bool await_ready() const noexcept { return false; }
  void await_suspend(std::coroutine_handle<>);
  HttpResponsePtr await_resume();
};
} // namespace internal
class HttpClient {
public:
  void sendRequest(const HttpRequestPtr &req, const HttpReqCallback &callback, double timeout = 0);
  std::pair<ReqResult, HttpResponsePtr> sendRequest(const HttpRequestPtr &req, double timeout = 0);
  internal::HttpRespAwaiter sendRequestCoro(HttpRequestPtr req, double timeout = 0);
};
using HttpClientPtr = std::shared_ptr<HttpClient>;

namespace nosql {
class RedisResult {
public:
  std::string asString() const noexcept(false);
};
struct RedisAwaiter {
  bool await_ready() const noexcept { return false; }
  void await_suspend(std::coroutine_handle<>);
  RedisResult await_resume();
};
class RedisClient {
public:
  template <class T, class... Args>
  T execCommandSync(std::function<T(const RedisResult &)> &&processFunc, std::string_view command,
                    Args &&...args);
  template <class... Args> RedisAwaiter execCommandCoro(std::string_view command, Args &&...args);
};
using RedisClientPtr = std::shared_ptr<RedisClient>;
} // namespace nosql
} // namespace drogon
