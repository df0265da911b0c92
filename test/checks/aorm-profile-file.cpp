// RUN: %check_aorm_tidy %s aorm-blocking-call-in-coroutine %t -config="{CheckOptions: {aorm-blocking-call-in-coroutine.ProfileFile: '%S/Inputs/profile-user.yaml', aorm-blocking-call-in-coroutine.BlockingFunctions: 'team::Box::take=takeAsync'}}"
// A user's profile file (ProfileFile) adds entries to the built-in ones; BlockingFunctions names
// members of class templates once for every instantiation.
// Bad input is an error naming the file and the line.
// RUN: not %clang_tidy_aorm -checks='-*,aorm-blocking-call-in-coroutine' -config="{CheckOptions: {aorm-blocking-call-in-coroutine.ProfileFile: '%S/Inputs/profile-bad.yaml'}}" %s -- %cxxflags 2>&1 | %FileCheck %s --check-prefix=BAD
// BAD: error: invalid profile: {{.*}}profile-bad.yaml:3:5: fix 'member' needs a 'twin'
// RUN: not %clang_tidy_aorm -checks='-*,aorm-blocking-call-in-coroutine' -config="{CheckOptions: {aorm-blocking-call-in-coroutine.ProfileFile: '%S/Inputs/profile-typo.yaml'}}" %s -- %cxxflags 2>&1 | %FileCheck %s --check-prefix=TYPO
// TYPO: error: invalid profile: {{.*}}profile-typo.yaml:4:5: unknown key 'twinn'
// RUN: not %clang_tidy_aorm -checks='-*,aorm-blocking-call-in-coroutine' -config="{CheckOptions: {aorm-blocking-call-in-coroutine.ProfileFile: '%S/Inputs/no-such.yaml'}}" %s -- %cxxflags 2>&1 | %FileCheck %s --check-prefix=MISSING
// MISSING: error: cannot read profile file '{{.*}}no-such.yaml' (option 'ProfileFile' of check 'aorm-blocking-call-in-coroutine'): {{[Nn]}}o such file or directory

#include <coroutine>
#include <exception>
#include <utility>
#include <vector>

namespace team {
template <class T> struct Task {
  struct promise_type {
    T value{};
    Task get_return_object() { return Task{std::coroutine_handle<promise_type>::from_promise(*this)}; }
    std::suspend_always initial_suspend() noexcept { return {}; }
    std::suspend_always final_suspend() noexcept { return {}; }
    void return_value(T v) { value = std::move(v); }
    void unhandled_exception() { std::terminate(); }
  };
  std::coroutine_handle<promise_type> h;
  bool await_ready() const noexcept { return false; }
  void await_suspend(std::coroutine_handle<>) noexcept {}
  T await_resume() { return h.promise().value; }
};
struct Client {
  int fetch(int id);
  Task<int> fetchAsync(int id);
};
struct Repo {
  std::vector<int> load();
};
template <class T> struct Box {
  T take();
  Task<T> takeAsync();
};
template <class T> T block_on(Task<T> t);
// The same member blocks only on one kind of stream (the entry's receiver).
struct Stream {
  int read(int max = 0);
};
struct BlockingStream : Stream {};
struct MemoryStream : Stream {};
int read_all(Stream &s);
struct Pool {
  template <class F> void submit(F f) { f(); }
};
} // namespace team

team::Task<int> handler(team::Client &client, team::Repo &repo, team::Box<int> &box, team::Pool &pool) {
  int a = client.fetch(1);
// CHECK-MESSAGES: :[[@LINE-1]]:18: warning: call to 'fetch' in coroutine 'handler' blocks the event loop; use 'co_await client.fetchAsync(...)' instead [aorm-blocking-call-in-coroutine]
// CHECK-FIXES: {{^}}  int a = co_await client.fetchAsync(1);{{$}}
  auto rows = repo.load();
// CHECK-MESSAGES: :[[@LINE-1]]:20: warning: call to 'load' in coroutine 'handler' blocks the event loop; use 'co_await repo.loadAsync(...)' on the repository's async interface [aorm-blocking-call-in-coroutine]
  int b = box.take();
// CHECK-MESSAGES: :[[@LINE-1]]:15: warning: call to 'take' in coroutine 'handler' blocks the event loop; use 'co_await box.takeAsync()' instead [aorm-blocking-call-in-coroutine]
// CHECK-FIXES: {{^}}  int b = co_await box.takeAsync();{{$}}
  int c = team::block_on(client.fetchAsync(2)) + 1;
// CHECK-MESSAGES: :[[@LINE-1]]:17: warning: call to 'block_on' in coroutine 'handler' blocks the event loop; use 'co_await client.fetchAsync(2)' instead [aorm-blocking-call-in-coroutine]
// CHECK-FIXES: {{^}}  int c = co_await (client.fetchAsync(2)) + 1;{{$}}
  team::BlockingStream file;
  team::MemoryStream memory;
  int d = file.read(4) + memory.read(4);
// CHECK-MESSAGES: :[[@LINE-1]]:16: warning: call to 'read' in coroutine 'handler' blocks the event loop; use 'co_await stream.readAsync()' [aorm-blocking-call-in-coroutine]
  d += team::read_all(memory); // a free function's receiver is its first parameter: not this one
  // Offloaded by the profile's offloading call.
  pool.submit([&] { client.fetch(3); });
  co_return a + b + c + d + static_cast<int>(rows.size());
}

// The class template's member in a dependent receiver.
template <class T> team::Task<T> generic(team::Box<T> &box) {
  co_return box.take();
// CHECK-MESSAGES: :[[@LINE-1]]:17: warning: call to 'take' in coroutine 'generic' blocks the event loop; use 'co_await box.takeAsync()' instead [aorm-blocking-call-in-coroutine]
// CHECK-FIXES: {{^}}  co_return co_await box.takeAsync();{{$}}
}
