// RUN: %check_aorm_tidy %s aorm-blocking-call-in-coroutine %t
// The coro profile: the calls that drive an awaitable to completion on the calling thread.
// Inside a coroutine they block the loop the awaitable may need: `co_await` it instead.

#include "Inputs/coro-libraries.hpp"
#include <utility>

cppcoro::task<int> compute();
folly::coro::Task<int> fetch();
coro::task<int> load();
async_simple::coro::Lazy<int> query();

cppcoro::task<int> with_cppcoro() {
  int v = cppcoro::sync_wait(compute());
// CHECK-MESSAGES: :[[@LINE-1]]:20: warning: call to 'sync_wait' in coroutine 'with_cppcoro' blocks the event loop; use 'co_await compute()' instead [aorm-blocking-call-in-coroutine]
// CHECK-FIXES: {{^}}  int v = co_await (compute());{{$}}
  co_return v;
}

folly::coro::Task<int> with_folly(folly::Executor *ex) {
  int a = folly::coro::blockingWait(fetch()) * 2;
// CHECK-MESSAGES: :[[@LINE-1]]:24: warning: call to 'blockingWait' in coroutine 'with_folly' blocks the event loop; use 'co_await fetch()' instead [aorm-blocking-call-in-coroutine]
// CHECK-FIXES: {{^}}  int a = co_await (fetch()) * 2;{{$}}
  // With an executor the awaitable runs there: still a blocking wait, but no mechanical fix.
  int b = folly::coro::blockingWait(fetch(), ex);
// CHECK-MESSAGES: :[[@LINE-1]]:24: warning: call to 'blockingWait' in coroutine 'with_folly' blocks the event loop; 'co_await' what it waits for instead [aorm-blocking-call-in-coroutine]
  co_return a + b;
}

coro::task<int> with_libcoro() {
  co_return coro::sync_wait(load());
// CHECK-MESSAGES: :[[@LINE-1]]:19: warning: call to 'sync_wait' in coroutine 'with_libcoro' blocks the event loop; use 'co_await load()' instead [aorm-blocking-call-in-coroutine]
// CHECK-FIXES: {{^}}  co_return co_await (load());{{$}}
}

async_simple::coro::Lazy<int> with_async_simple() {
  auto lazy = query();
  int n = async_simple::coro::syncAwait(std::move(lazy));
// CHECK-MESSAGES: :[[@LINE-1]]:31: warning: call to 'syncAwait' in coroutine 'with_async_simple' blocks the event loop; use 'co_await std::move(lazy)' instead [aorm-blocking-call-in-coroutine]
// CHECK-FIXES: {{^}}  int n = co_await (std::move(lazy));{{$}}
  // A lambda run in place cannot co_await: the advice says where to.
  int m = [] { return cppcoro::sync_wait(compute()); }();
// CHECK-MESSAGES: :[[@LINE-1]]:32: warning: call to 'sync_wait' in a lambda that coroutine 'with_async_simple' runs in place blocks the event loop; 'co_await compute()' in the coroutine itself instead [aorm-blocking-call-in-coroutine]
  co_return n + m;
}

// ---- near misses ------------------------------------------------------------------------------

// Outside any coroutine the drivers are how sync code runs a task.
int main() { return cppcoro::sync_wait(compute()) + coro::sync_wait(load()); }

namespace mine {
template <class T> int sync_wait(T &&);
}
cppcoro::task<int> lookalike() { co_return mine::sync_wait(1); }
