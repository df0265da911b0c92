// RUN: %check_aorm_tidy %s aorm-missing-co-await %t
// Awaitables the language declares, with no annotation: a coroutine type whose promise starts
// suspended, an awaiter, a member or free operator co_await. Eager coroutine types, generators and
// look-alikes are not tasks.

#include <coroutine>
#include <exception>

namespace lib {
// A lazy task: initial_suspend suspends; awaited through its own operator co_await.
template <class T> class Lazy {
public:
  struct promise_type {
    T value{};
    Lazy get_return_object() { return Lazy{std::coroutine_handle<promise_type>::from_promise(*this)}; }
    std::suspend_always initial_suspend() noexcept { return {}; }
    std::suspend_always final_suspend() noexcept { return {}; }
    void return_value(T v) { value = v; }
    void unhandled_exception() { std::terminate(); }
  };
  struct Awaiter {
    std::coroutine_handle<promise_type> h;
    bool await_ready() const noexcept { return false; }
    std::coroutine_handle<> await_suspend(std::coroutine_handle<>) noexcept { return h; }
    T await_resume() { return h.promise().value; }
  };
  explicit Lazy(std::coroutine_handle<promise_type> h) : h(h) {}
  Awaiter operator co_await() && noexcept { return Awaiter{h}; }

private:
  std::coroutine_handle<promise_type> h;
};

// A task of void whose awaiter is its own type (await_* members, no operator co_await).
struct Job {
  struct promise_type {
    Job get_return_object() { return {}; }
    std::suspend_always initial_suspend() noexcept { return {}; }
    std::suspend_always final_suspend() noexcept { return {}; }
    void return_void() {}
    void unhandled_exception() {}
  };
  bool await_ready() const noexcept { return false; }
  void await_suspend(std::coroutine_handle<>) const noexcept {}
  void await_resume() const noexcept {}
};

// An awaiter made by a call, not a coroutine: a request to a client.
struct RespAwaiter {
  bool await_ready() const noexcept { return false; }
  void await_suspend(std::coroutine_handle<>) noexcept {}
  int await_resume() { return 200; }
};
RespAwaiter sendRequestCoro(int req);

// Awaitable through a free operator co_await found beside it.
struct Deferred {
  int op;
};
RespAwaiter operator co_await(Deferred d);
Deferred async_wait(int ms);

// Eager: runs to its first suspension when called, nothing to await (fire and forget).
struct AsyncTask {
  struct promise_type {
    AsyncTask get_return_object() noexcept { return {}; }
    std::suspend_never initial_suspend() const noexcept { return {}; }
    std::suspend_never final_suspend() const noexcept { return {}; }
    void return_void() noexcept {}
    void unhandled_exception() {}
  };
};

// A generator: a coroutine type that is a range, iterated rather than awaited.
struct Ints {
  struct promise_type {
    int current = 0;
    Ints get_return_object() { return {}; }
    std::suspend_always initial_suspend() noexcept { return {}; }
    std::suspend_always final_suspend() noexcept { return {}; }
    std::suspend_always yield_value(int v) { current = v; return {}; }
    void return_void() {}
    void unhandled_exception() {}
  };
  int *begin();
  int *end();
};

// Look-alikes: a class with one await_ before-name, a promise without initial_suspend.
struct NotAnAwaiter {
  int await_resume() const { return 1; }
};
struct Half {
  struct promise_type {};
};
} // namespace lib

lib::Lazy<int> compute() { co_return 7; }
lib::Job work() { co_return; }
lib::AsyncTask fire() { co_return; }
lib::Ints numbers() { co_yield 1; }
lib::NotAnAwaiter plain();
lib::Half half();

lib::Lazy<int> handler() {
  compute();
// CHECK-MESSAGES: :[[@LINE-1]]:3: warning: task returned by 'compute' is discarded, so it never runs; use 'co_await compute()' instead [aorm-missing-co-await]
// CHECK-FIXES: {{^}}  co_await compute();{{$}}
  work();
// CHECK-MESSAGES: :[[@LINE-1]]:3: warning: task returned by 'work' is discarded, so it never runs; use 'co_await work()' instead [aorm-missing-co-await]
// CHECK-FIXES: {{^}}  co_await work();{{$}}
  lib::sendRequestCoro(1);
// CHECK-MESSAGES: :[[@LINE-1]]:3: warning: task returned by 'sendRequestCoro' is discarded, so it never runs; use 'co_await lib::sendRequestCoro(1)' instead [aorm-missing-co-await]
// CHECK-FIXES: {{^}}  co_await lib::sendRequestCoro(1);{{$}}
  lib::async_wait(5);
// CHECK-MESSAGES: :[[@LINE-1]]:3: warning: task returned by 'async_wait' is discarded, so it never runs; use 'co_await lib::async_wait(5)' instead [aorm-missing-co-await]
// CHECK-FIXES: {{^}}  co_await lib::async_wait(5);{{$}}
  // A stored task of void: awaited in place of the declaration (await_resume returns void).
  auto pending = work();
// CHECK-MESSAGES: :[[@LINE-1]]:18: warning: task returned by 'work' is stored in 'pending' and never awaited, moved, returned or passed on, so it never runs; use 'co_await work()' instead [aorm-missing-co-await]
// CHECK-FIXES: {{^}}  co_await work();{{$}}
  // Near misses: eager, a generator, look-alikes.
  fire();
  numbers();
  plain();
  half();
  int n = co_await compute();
  co_return n + co_await lib::sendRequestCoro(2);
}
