// Code that does not use aorm at all: its own task type, its own lazy containers, look-alike
// names. Its task type is a task by the language's rules (a promise that starts suspended, an
// awaiter), so a dropped one is reported; nothing else is, and nothing crashes.
// RUN: %check_aorm_tidy %s 'aorm-*' %t
// Broken input is reported as compile errors, not as a crash.
// RUN: not %clang_tidy_aorm -checks='-*,aorm-*' %S/Inputs/broken.cpp -- %cxxflags 2>&1 | %FileCheck %s --check-prefix=BROKEN --implicit-check-not='Stack dump'
// BROKEN: error:

#include <chrono>
#include <coroutine>
#include <exception>
#include <future>
#include <optional>
#include <thread>
#include <vector>

namespace other {
template <class T> struct Task {
  struct promise_type {
    T value{};
    Task get_return_object() { return {std::coroutine_handle<promise_type>::from_promise(*this)}; }
    std::suspend_always initial_suspend() noexcept { return {}; }
    std::suspend_always final_suspend() noexcept { return {}; }
    void return_value(T v) { value = v; }
    void unhandled_exception() { std::terminate(); }
  };
  std::coroutine_handle<promise_type> handle;
  bool await_ready() const { return false; }
  void await_suspend(std::coroutine_handle<>) const {}
  T await_resume() const { return handle.promise().value; }
};

template <class T> struct QuerySet {
  std::vector<T> rows;
  T get(int i) const { return rows[i]; }
  std::size_t count() const { return rows.size(); }
  std::optional<T> first() const { return rows.empty() ? std::nullopt : std::optional(rows[0]); }
  auto begin() const { return rows.begin(); }
  auto end() const { return rows.end(); }
  std::size_t size() const { return rows.size(); }
  const T &operator[](std::size_t i) const { return rows[i]; }
  explicit operator bool() const { return !rows.empty(); }
};

Task<int> acount() { co_return 1; }
Task<QuerySet<int>> load() { co_return QuerySet<int>{}; }
} // namespace other

other::Task<int> uses_lookalikes(other::QuerySet<int> qs) {
  int total = qs.get(0) + static_cast<int>(qs.count()) + qs.first().value_or(0);
  for (int v : qs)
    total += v;
  if (qs)
    total += static_cast<int>(qs.size()) + qs[0];
  other::acount();
// CHECK-MESSAGES: :[[@LINE-1]]:3: warning: task returned by 'acount' is discarded, so it never runs; use 'co_await other::acount()' instead [aorm-missing-co-await]
// CHECK-FIXES: {{^}}  co_await other::acount();{{$}}
  auto pending = other::acount();
// CHECK-MESSAGES: :[[@LINE-1]]:18: warning: task returned by 'acount' is stored in 'pending' and never awaited, moved, returned or passed on, so it never runs; use 'co_await other::acount()' instead [aorm-missing-co-await]
// CHECK-FIXES: {{^}}  auto pending = co_await other::acount();{{$}}
  auto lazy = co_await other::load();
  co_return total + static_cast<int>(lazy.count());
}

int main() { return 0; }

// Advice in code that does not use aorm names no aorm API: the std profile's framework-neutral
// entries, a neutral "move it off the event loop" for a chain, and no aorm::run.
int wait_for_it(std::future<int> &f) { return f.get(); }
other::Task<int> waits(std::future<int> f, std::future<int> g) {
  std::this_thread::sleep_for(std::chrono::milliseconds(1));
// CHECK-MESSAGES: :[[@LINE-1]]:21: warning: call to 'sleep_for' in coroutine 'waits' blocks the event loop; 'co_await' a timer of the event loop instead [aorm-blocking-call-in-coroutine]
  int a = f.get();
// CHECK-MESSAGES: :[[@LINE-1]]:13: warning: call to 'get' in coroutine 'waits' blocks the event loop; 'co_await' the work the future stands for instead, or move the wait off the event loop [aorm-blocking-call-in-coroutine]
  int b = wait_for_it(g);
// CHECK-MESSAGES: :[[@LINE-1]]:11: warning: call to 'wait_for_it' in coroutine 'waits' blocks the event loop: it reaches blocking 'get'; move it off the event loop instead [aorm-blocking-call-in-coroutine]
// CHECK-MESSAGES: :[[@LINE-8]]:49: note: 'wait_for_it' calls blocking 'get' here
  co_return a + b;
}
void starts_nothing() {
  other::acount();
// CHECK-MESSAGES: :[[@LINE-1]]:3: warning: task returned by 'acount' is discarded in non-coroutine 'starts_nothing', so it never runs; make the caller a coroutine that awaits it, or hand it to the event loop that runs it [aorm-missing-co-await]
}
