// RUN: %check_aorm_tidy %s aorm-blocking-call-in-coroutine %t
// The std profile: the standard library's and POSIX's waits, in a coroutine of the aorm runtime
// (its aorm::sleep_for is the twin of std::this_thread::sleep_for).
// Profiles can be turned off: nothing is reported then.
// RUN: %clang_tidy_aorm -checks='-*,aorm-blocking-call-in-coroutine' -config="{CheckOptions: {aorm-blocking-call-in-coroutine.Profiles: 'none'}}" %s -- %cxxflags -I%S 2>&1 | %FileCheck %s --check-prefix=OFF --allow-empty
// OFF-NOT: warning:
// RUN: %clang_tidy_aorm -checks='-*,aorm-blocking-call-in-coroutine' -config="{CheckOptions: {aorm-blocking-call-in-coroutine.Profiles: 'coro'}}" %s -- %cxxflags -I%S 2>&1 | %FileCheck %s --check-prefix=OFF --allow-empty
// An unknown profile is an error that names it.
// RUN: not %clang_tidy_aorm -checks='-*,aorm-blocking-call-in-coroutine' -config="{CheckOptions: {aorm-blocking-call-in-coroutine.Profiles: 'std;boost'}}" %s -- %cxxflags -I%S 2>&1 | %FileCheck %s --check-prefix=UNKNOWN
// UNKNOWN: error: unknown profile 'boost' in option 'Profiles' of check 'aorm-blocking-call-in-coroutine'; the built-in profiles are {{.*}}std{{.*}} (or 'all', 'none')

#include "Inputs/models.hpp"
#include <chrono>
#include <condition_variable>
#include <future>
#include <mutex>
#include <semaphore>
#include <thread>
#include <unistd.h>

using aorm::Task;
using namespace std::chrono_literals;

Task<int> waits(std::future<int> result, std::shared_future<void> ready, std::thread &worker,
                std::future<void> done) {
  std::this_thread::sleep_for(std::chrono::milliseconds(5));
// CHECK-MESSAGES: :[[@LINE-1]]:21: warning: call to 'sleep_for' in coroutine 'waits' blocks the event loop; use 'co_await aorm::sleep_for(...)' instead [aorm-blocking-call-in-coroutine]
// CHECK-FIXES: {{^}}  co_await aorm::sleep_for(std::chrono::milliseconds(5));{{$}}
  std::this_thread::sleep_for(20ms);
// CHECK-MESSAGES: :[[@LINE-1]]:21: warning: call to 'sleep_for' in coroutine 'waits' blocks the event loop; use 'co_await aorm::sleep_for(...)' instead [aorm-blocking-call-in-coroutine]
// CHECK-FIXES: {{^}}  co_await aorm::sleep_for(20ms);{{$}}
  // aorm::sleep_for takes milliseconds: microseconds would not convert, so no fix.
  std::this_thread::sleep_for(std::chrono::microseconds(300));
// CHECK-MESSAGES: :[[@LINE-1]]:21: warning: call to 'sleep_for' in coroutine 'waits' blocks the event loop; its twin 'aorm::sleep_for' takes 'std::chrono::milliseconds'; convert the argument and use 'co_await aorm::sleep_for(...)' instead [aorm-blocking-call-in-coroutine]
// CHECK-FIXES: {{^}}  std::this_thread::sleep_for(std::chrono::microseconds(300));{{$}}
  int n = result.get();
// CHECK-MESSAGES: :[[@LINE-1]]:18: warning: call to 'get' in coroutine 'waits' blocks the event loop; 'co_await' the work the future stands for instead (e.g. 'co_await aorm::sync_to_async(...)') [aorm-blocking-call-in-coroutine]
  done.get(); // std::future<void> is an explicit specialization: named the same
// CHECK-MESSAGES: :[[@LINE-1]]:8: warning: call to 'get' in coroutine 'waits' blocks the event loop; 'co_await' the work the future stands for instead (e.g. 'co_await aorm::sync_to_async(...)') [aorm-blocking-call-in-coroutine]
  ready.wait();
// CHECK-MESSAGES: :[[@LINE-1]]:9: warning: call to 'wait' in coroutine 'waits' blocks the event loop; 'co_await' the work the future stands for instead (e.g. 'co_await aorm::sync_to_async(...)') [aorm-blocking-call-in-coroutine]
  worker.join();
// CHECK-MESSAGES: :[[@LINE-1]]:10: warning: call to 'join' in coroutine 'waits' blocks the event loop; 'co_await' the work instead of a thread (e.g. 'co_await aorm::sync_to_async(...)') [aorm-blocking-call-in-coroutine]
  usleep(10);
// CHECK-MESSAGES: :[[@LINE-1]]:3: warning: call to 'usleep' in coroutine 'waits' blocks the event loop; 'co_await' a timer of the event loop instead (aorm::sleep_for) [aorm-blocking-call-in-coroutine]
  ::sleep(1);
// CHECK-MESSAGES: :[[@LINE-1]]:5: warning: call to 'sleep' in coroutine 'waits' blocks the event loop; 'co_await' a timer of the event loop instead (aorm::sleep_for) [aorm-blocking-call-in-coroutine]
  co_return n;
}

Task<void> sync_primitives(std::mutex &m, std::condition_variable &cv, std::counting_semaphore<4> &slots,
                           std::binary_semaphore &one) {
  std::unique_lock<std::mutex> lock(m);
  cv.wait(lock);
// CHECK-MESSAGES: :[[@LINE-1]]:6: warning: call to 'wait' in coroutine 'sync_primitives' blocks the event loop; wait on an awaitable event of the event loop instead, or move the wait off the loop [aorm-blocking-call-in-coroutine]
  slots.acquire();
// CHECK-MESSAGES: :[[@LINE-1]]:9: warning: call to 'acquire' in coroutine 'sync_primitives' blocks the event loop; use an awaitable semaphore of the event loop, or move the wait off the loop [aorm-blocking-call-in-coroutine]
  one.acquire();
// CHECK-MESSAGES: :[[@LINE-1]]:7: warning: call to 'acquire' in coroutine 'sync_primitives' blocks the event loop; use an awaitable semaphore of the event loop, or move the wait off the loop [aorm-blocking-call-in-coroutine]
  co_return;
}

// A dependent future: the class template's member is named once for every T.
template <class T> Task<T> generic(std::future<T> f) {
  co_return f.get();
// CHECK-MESSAGES: :[[@LINE-1]]:15: warning: call to 'get' in coroutine 'generic' blocks the event loop; 'co_await' the work the future stands for instead (e.g. 'co_await aorm::sync_to_async(...)') [aorm-blocking-call-in-coroutine]
}
template Task<int> generic(std::future<int>);

// ---- near misses ------------------------------------------------------------------------------

namespace mine {
void sleep_for(int);
struct Future {
  int get() const { return 1; }
  void wait() const {}
  void join() {}
};
} // namespace mine

Task<int> lookalikes(mine::Future f, std::future<int> later) {
  mine::sleep_for(1);
  f.wait();
  f.join();
  // Offloaded to another thread by std::async: not the coroutine's code.
  auto pending = std::async([] {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
    return 1;
  });
  std::mutex m;
  std::lock_guard<std::mutex> guard(m);
  bool ok = later.valid();
  co_return f.get() + (ok ? 1 : 0) + static_cast<int>(sizeof(later.get()));
}

void sync_code(std::future<int> f) {
  std::this_thread::sleep_for(std::chrono::milliseconds(1));
  f.get();
}
