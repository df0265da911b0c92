// Declarations of the coroutine libraries' task types and their blocking drivers, after their
// public headers (cppcoro/sync_wait.hpp, folly/coro/BlockingWait.h, coro/sync_wait.hpp,
// async_simple/coro/SyncAwait.h). The task types share one lazy task written here.
#pragma once
#include <coroutine>
#include <exception>
#include <type_traits>
#include <utility>

namespace mock {
template <class T> class LazyTask {
public:
  using value_type = T;
  struct promise_type {
    T value{};
    LazyTask get_return_object() {
      return LazyTask{std::coroutine_handle<promise_type>::from_promise(*this)};
    }
    std::suspend_always initial_suspend() noexcept { return {}; }
    std::suspend_always final_suspend() noexcept { return {}; }
    void return_value(T v) { value = std::move(v); }
    void unhandled_exception() { std::terminate(); }
  };
  struct Awaiter {
    std::coroutine_handle<promise_type> h;
    bool await_ready() const noexcept { return false; }
    std::coroutine_handle<> await_suspend(std::coroutine_handle<>) noexcept { return h; }
    T await_resume() { return std::move(h.promise().value); }
  };
  explicit LazyTask(std::coroutine_handle<promise_type> h) : h(h) {}
  Awaiter operator co_await() && noexcept { return Awaiter{h}; }

private:
  std::coroutine_handle<promise_type> h;
};
// What awaiting an A yields (the libraries spell it with their awaitable traits).
template <class A> using await_result_t = typename std::remove_cvref_t<A>::value_type;
} // namespace mock

namespace cppcoro {
template <class T = void> using task = mock::LazyTask<T>;
template <class Awaitable> auto sync_wait(Awaitable &&awaitable) -> mock::await_result_t<Awaitable>;
} // namespace cppcoro

namespace folly {
struct Executor;
namespace coro {
template <class T = void> using Task = mock::LazyTask<T>;
template <class Awaitable> auto blockingWait(Awaitable &&awaitable) -> mock::await_result_t<Awaitable>;
template <class Awaitable> auto blockingWait(Awaitable &&awaitable, Executor *ex) -> mock::await_result_t<Awaitable>;
} // namespace coro
} // namespace folly

namespace coro {
template <class T = void> using task = mock::LazyTask<T>;
template <class Awaitable> auto sync_wait(Awaitable &&awaitable) -> mock::await_result_t<Awaitable>;
} // namespace coro

namespace async_simple {
class Executor;
namespace coro {
template <class T = void> using Lazy = mock::LazyTask<T>;
template <class LazyType> auto syncAwait(LazyType &&lazy) -> mock::await_result_t<LazyType>;
template <class LazyType>
auto syncAwait(LazyType &&lazy, Executor *ex) -> mock::await_result_t<LazyType>;
} // namespace coro
} // namespace async_simple
