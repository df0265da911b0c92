// RUN: %check_aorm_tidy %s aorm-blocking-call-in-coroutine %t

#include "Inputs/models.hpp"
#include <algorithm>
#include <coroutine>
#include <future>
#include <iterator>
#include <ranges>
#include <stdexcept>
#include <thread>
#include <vector>

using aorm::Q;
using aorm::Task;

// ---- explicit terminals in a coroutine -------------------------------------------------------

Task<std::string> show(std::int64_t id) {
  Post post = Post::objects.get(Q("id", id));
// CHECK-MESSAGES: :[[@LINE-1]]:29: warning: call to 'get' in coroutine 'show' blocks the event loop; use 'co_await Post::objects.aget(...)' instead [aorm-blocking-call-in-coroutine]
// CHECK-FIXES: {{^}}  Post post = co_await Post::objects.aget(Q("id", id));{{$}}
  auto views = Post::objects.filter(Q("published", true)).count() + 1;
// CHECK-MESSAGES: :[[@LINE-1]]:59: warning: call to 'count' in coroutine 'show' blocks the event loop; use 'co_await ...acount()' instead [aorm-blocking-call-in-coroutine]
// CHECK-FIXES: {{^}}  auto views = co_await Post::objects.filter(Q("published", true)).acount() + 1;{{$}}
  std::string title = Post::objects.first()->title;
// CHECK-MESSAGES: :[[@LINE-1]]:37: warning: call to 'first' in coroutine 'show' blocks the event loop; use 'co_await Post::objects.afirst()' instead [aorm-blocking-call-in-coroutine]
// CHECK-FIXES: {{^}}  std::string title = (co_await Post::objects.afirst())->title;{{$}}
  post.save();
// CHECK-MESSAGES: :[[@LINE-1]]:8: warning: call to 'save' in coroutine 'show' blocks the event loop; use 'co_await post.asave()' instead [aorm-blocking-call-in-coroutine]
// CHECK-FIXES: {{^}}  co_await post.asave();{{$}}
  Author author = post.author.get();
// CHECK-MESSAGES: :[[@LINE-1]]:31: warning: call to 'get' in coroutine 'show' blocks the event loop; use 'co_await post.author.aget()' instead [aorm-blocking-call-in-coroutine]
// CHECK-FIXES: {{^}}  Author author = co_await post.author.aget();{{$}}
  co_return post.title + author.name + title + std::to_string(views);
}

// Nested blocking calls sharing a start are reported one by one; the fixes compose.
Task<std::string> nested() {
  co_return Post::objects.get(Q("id", 1)).author.get().name;
// CHECK-MESSAGES: :[[@LINE-1]]:27: warning: call to 'get' in coroutine 'nested' blocks the event loop; use 'co_await Post::objects.aget(...)' instead [aorm-blocking-call-in-coroutine]
// CHECK-MESSAGES: :[[@LINE-2]]:50: warning: call to 'get' in coroutine 'nested' blocks the event loop; use 'co_await Post::objects.get(Q("id", 1)).author.aget()' instead [aorm-blocking-call-in-coroutine]
// CHECK-FIXES: {{^}}  co_return (co_await (co_await Post::objects.aget(Q("id", 1))).author.aget()).name;{{$}}
}

// ---- implicit evaluation ---------------------------------------------------------------------

Task<std::size_t> implicit_evaluation() {
  auto qs = Post::objects.filter(Q("views__gte", 10));
  std::size_t total = 0;
  for (const Post &p : qs)
// CHECK-MESSAGES: :[[@LINE-1]]:24: warning: range-for over 'qs' in coroutine 'implicit_evaluation' blocks the event loop; use 'co_await qs.alist()' instead [aorm-blocking-call-in-coroutine]
// CHECK-FIXES: {{^}}  for (const Post &p : co_await qs.alist()){{$}}
    total += p.title.size();
  for (const Post &p : Post::objects.filter(Q("published", true)))
// CHECK-MESSAGES: :[[@LINE-1]]:24: warning: range-for over a query set in coroutine 'implicit_evaluation' blocks the event loop; use 'co_await ....alist()' instead [aorm-blocking-call-in-coroutine]
// CHECK-FIXES: {{^}}  for (const Post &p : co_await Post::objects.filter(Q("published", true)).alist()){{$}}
    total += p.title.size();
  if (qs)
// CHECK-MESSAGES: :[[@LINE-1]]:7: warning: conversion to 'bool' of 'qs' in coroutine 'implicit_evaluation' blocks the event loop; use 'co_await qs.aexists()' instead [aorm-blocking-call-in-coroutine]
// CHECK-FIXES: {{^}}  if (co_await qs.aexists()){{$}}
    ++total;
  if (!qs)
// CHECK-MESSAGES: :[[@LINE-1]]:8: warning: conversion to 'bool' of 'qs' in coroutine 'implicit_evaluation' blocks the event loop; use 'co_await qs.aexists()' instead [aorm-blocking-call-in-coroutine]
// CHECK-FIXES: {{^}}  if (!co_await qs.aexists()){{$}}
    ++total;
  total += qs.size();
// CHECK-MESSAGES: :[[@LINE-1]]:15: warning: call to 'size' in coroutine 'implicit_evaluation' blocks the event loop; use 'co_await qs.acount()' instead [aorm-blocking-call-in-coroutine]
// CHECK-FIXES: {{^}}  total += co_await qs.acount();{{$}}
  total += qs[0].title.size();
// CHECK-MESSAGES: :[[@LINE-1]]:12: warning: 'operator[]' on 'qs' in coroutine 'implicit_evaluation' blocks the event loop; use '(co_await qs.alist())[...]' instead [aorm-blocking-call-in-coroutine]
// CHECK-FIXES: {{^}}  total += (co_await qs.alist())[0].title.size();{{$}}
  co_return total;
}

// ---- lambdas, handlers, no twin --------------------------------------------------------------

Task<void> lambdas_and_handlers() {
  auto coro = []() -> Task<std::int64_t> { co_return Post::objects.count(); };
// CHECK-MESSAGES: :[[@LINE-1]]:68: warning: call to 'count' in coroutine lambda blocks the event loop; use 'co_await Post::objects.acount()' instead [aorm-blocking-call-in-coroutine]
// CHECK-FIXES: {{^}}  auto coro = []() -> Task<std::int64_t> { co_return co_await Post::objects.acount(); };{{$}}
  std::int64_t n = co_await coro();
  try {
    co_await aorm::sleep_for(std::chrono::milliseconds(n));
  } catch (const std::exception &) {
    Post::objects.count();
// CHECK-MESSAGES: :[[@LINE-1]]:19: warning: call to 'count' in coroutine 'lambdas_and_handlers' blocks the event loop; use 'co_await Post::objects.acount()' instead [aorm-blocking-call-in-coroutine]
// CHECK-FIXES: {{^}}    Post::objects.count();{{$}}
  }
  aorm::migrate<Author, Post>();
// CHECK-MESSAGES: :[[@LINE-1]]:9: warning: call to 'migrate' in coroutine 'lambdas_and_handlers' blocks the event loop; move it into 'co_await aorm::sync_to_async(...)' [aorm-blocking-call-in-coroutine]
// CHECK-FIXES: {{^}}  aorm::migrate<Author, Post>();{{$}}
}

// ---- macros ----------------------------------------------------------------------------------

#define COUNT_POSTS() Post::objects.count()

Task<std::int64_t> through_macro() { co_return COUNT_POSTS(); }
// CHECK-MESSAGES: :[[@LINE-1]]:48: warning: call to 'count' in coroutine 'through_macro' blocks the event loop; use 'co_await ...acount()' instead [aorm-blocking-call-in-coroutine]
// CHECK-FIXES: {{^}}Task<std::int64_t> through_macro() { co_return COUNT_POSTS(); }{{$}}

// ---- templates: reported once in the pattern -------------------------------------------------

template <class M> Task<std::int64_t> count_of() { co_return M::objects.count(); }
// CHECK-MESSAGES: :[[@LINE-1]]:73: warning: call to 'count' in coroutine 'count_of' blocks the event loop; use 'co_await M::objects.acount()' instead [aorm-blocking-call-in-coroutine]
// CHECK-FIXES: {{^}}template <class M> Task<std::int64_t> count_of() { co_return co_await M::objects.acount(); }{{$}}

template <class M> Task<std::int64_t> count_dependent(aorm::QuerySet<M> qs) {
  co_return qs.count();
// CHECK-MESSAGES: :[[@LINE-1]]:16: warning: call to 'count' in coroutine 'count_dependent' blocks the event loop; use 'co_await qs.acount()' instead [aorm-blocking-call-in-coroutine]
// CHECK-FIXES: {{^}}  co_return co_await qs.acount();{{$}}
}

template <class M> Task<std::size_t> iterate_dependent(aorm::QuerySet<M> qs) {
  std::size_t n = 0;
  for (const M &m : qs)
// CHECK-MESSAGES: :[[@LINE-1]]:21: warning: range-for over 'qs' in coroutine 'iterate_dependent' blocks the event loop; use 'co_await qs.alist()' instead [aorm-blocking-call-in-coroutine]
// CHECK-FIXES: {{^}}  for (const M &m : co_await qs.alist()){{$}}
    n += sizeof(m);
  co_return n;
}

Task<void> use_templates() {
  co_await count_of<Post>();
  co_await count_of<Author>();
}

// ---- transitive: sync helpers of this file ---------------------------------------------------

static std::int64_t count_published() { return Post::objects.filter(Q("published", true)).count(); }
static std::int64_t report() { return count_published() * 2; }
static std::int64_t pure(std::int64_t x) { return x * 2; }

Task<std::int64_t> transitive() {
  std::int64_t r = report();
// CHECK-MESSAGES: :[[@LINE-1]]:20: warning: call to 'report' in coroutine 'transitive' blocks the event loop: it reaches blocking 'count'; use 'co_await aorm::sync_to_async(...)' around it instead [aorm-blocking-call-in-coroutine]
// CHECK-MESSAGES: :[[@LINE-6]]:39: note: 'report' calls 'count_published' here
// CHECK-MESSAGES: :[[@LINE-8]]:91: note: 'count_published' calls blocking 'count' here
  co_return r + pure(3);
}

// A local lambda runs on the loop when the coroutine calls it.
Task<std::int64_t> transitive_lambda() {
  auto load = [] { return Post::objects.count(); };
  co_return load();
// CHECK-MESSAGES: :[[@LINE-1]]:13: warning: call to 'lambda' in coroutine 'transitive_lambda' blocks the event loop: it reaches blocking 'count'; use 'co_await aorm::sync_to_async(...)' around it instead [aorm-blocking-call-in-coroutine]
// CHECK-MESSAGES: :[[@LINE-3]]:41: note: 'lambda' calls blocking 'count' here
}

// ---- NOLINT ----------------------------------------------------------------------------------

Task<std::int64_t> suppressed() {
  std::int64_t a = Post::objects.count(); // NOLINT(aorm-blocking-call-in-coroutine)
  // NOLINTNEXTLINE(aorm-blocking-call-in-coroutine)
  std::int64_t b = Post::objects.count();
  co_return a + b;
}

// ---- near misses: none of these is reported ---------------------------------------------------

// Sync code in a plain function may block.
std::int64_t plain_function() {
  for (const Post &p : Post::objects.all())
    (void)p;
  return Post::objects.count();
}

// Awaited twins.
Task<std::int64_t> awaited() {
  auto qs = Post::objects.filter(Q("published", true));
  std::int64_t n = co_await qs.acount();
  for (const Post &p : co_await qs.alist())
    n += p.views;
  std::optional<Post> first = co_await qs.afirst();
  co_return n + (first ? 1 : 0);
}

// Blocking calls handed off the loop.
Task<std::int64_t> offloaded() {
  std::int64_t n = co_await aorm::sync_to_async([] { return Post::objects.count(); });
  std::thread worker([] { Post::objects.count(); });
  worker.join();
// CHECK-MESSAGES: :[[@LINE-1]]:10: warning: call to 'join' in coroutine 'offloaded' blocks the event loop; 'co_await' the work instead of a thread (e.g. 'co_await aorm::sync_to_async(...)') [aorm-blocking-call-in-coroutine]
  auto later = [] { return Post::objects.count(); };
  co_return n + sizeof(Post::objects.count()) + sizeof(decltype(later));
}

// A user's own get()/count()/first() on a non-ORM type, and shadowed names.
struct Cache {
  int get(int key) const { return key; }
  int count() const { return 0; }
  std::optional<int> first() const { return 1; }
  std::vector<int>::const_iterator begin() const { return items.begin(); }
  std::vector<int>::const_iterator end() const { return items.end(); }
  explicit operator bool() const { return true; }
  std::vector<int> items;
};
namespace mine {
int count() { return 0; }
} // namespace mine

Task<int> lookalikes(Cache cache) {
  struct Objects {
    int count() const { return 1; }
  } objects;
  int sum = cache.get(1) + cache.count() + *cache.first() + objects.count() + mine::count();
  for (int v : cache)
    sum += v;
  if (cache)
    ++sum;
  co_return sum;
}

// ---- the loop's code, exactly -----------------------------------------------------------------

// A lambda run in place runs on the loop; co_await cannot be written inside it, so no fix-it.
Task<std::int64_t> in_place_lambdas(std::vector<std::int64_t> ids) {
  std::int64_t n = [] { return Post::objects.count(); }();
// CHECK-MESSAGES: :[[@LINE-1]]:46: warning: call to 'count' in a lambda that coroutine 'in_place_lambdas' runs in place blocks the event loop; use 'co_await Post::objects.acount()' instead [aorm-blocking-call-in-coroutine]
  std::for_each(ids.begin(), ids.end(), [&](std::int64_t id) { n += Post::objects.filter(Q("id", id)).count(); });
// CHECK-MESSAGES: :[[@LINE-1]]:103: warning: call to 'count' in a lambda that coroutine 'in_place_lambdas' runs in place blocks the event loop; use 'co_await Post::objects.filter(Q("id", id)).acount()' instead [aorm-blocking-call-in-coroutine]
  auto later = [] { return Post::objects.count(); };
  std::int64_t m = co_await aorm::sync_to_async([] { return Post::objects.count(); });
  auto pending = std::async([] { return Post::objects.count(); });
  co_return n + m + pending.get() + static_cast<std::int64_t>(sizeof(later));
// CHECK-MESSAGES: :[[@LINE-1]]:29: warning: call to 'get' in coroutine 'in_place_lambdas' blocks the event loop; 'co_await' the work the future stands for instead (e.g. 'co_await aorm::sync_to_async(...)') [aorm-blocking-call-in-coroutine]
}

// Evaluation through the standard library's templates.
Task<std::size_t> through_the_library(aorm::QuerySet<Post> qs) {
  bool any = std::ranges::any_of(qs, [](const Post &p) { return p.views > 0; });
// CHECK-MESSAGES: :[[@LINE-1]]:14: warning: call to 'std::ranges::any_of' in coroutine 'through_the_library' blocks the event loop: it reaches blocking 'begin'; use 'co_await aorm::sync_to_async(...)' around it instead [aorm-blocking-call-in-coroutine]
  std::size_t n = std::size(qs);
// CHECK-MESSAGES: :[[@LINE-1]]:24: warning: call to 'size' in coroutine 'through_the_library' blocks the event loop: it reaches blocking 'size'; use 'co_await aorm::sync_to_async(...)' around it instead [aorm-blocking-call-in-coroutine]
  std::vector<Post> copy(qs.begin(), qs.end());
// CHECK-MESSAGES: :[[@LINE-1]]:29: warning: call to 'begin' in coroutine 'through_the_library' blocks the event loop; 'co_await' on its async twin 'alist' yields 'std::vector<Post>', not '{{.*}}'; await it into a named variable first and use that [aorm-blocking-call-in-coroutine]
// CHECK-MESSAGES: :[[@LINE-2]]:41: warning: call to 'end' in coroutine 'through_the_library' blocks the event loop; 'co_await' on its async twin 'alist' yields 'std::vector<Post>', not '{{.*}}'; await it into a named variable first and use that [aorm-blocking-call-in-coroutine]
// CHECK-FIXES: {{^}}  std::vector<Post> copy(qs.begin(), qs.end());{{$}}
  co_return n + copy.size() + (any ? 1 : 0);
}

// A constructor of this file that queries.
struct Dashboard {
  Dashboard() : posts(Post::objects.count()) {}
  std::int64_t posts;
};
Task<std::int64_t> constructs() {
  Dashboard board;
// CHECK-MESSAGES: :[[@LINE-1]]:13: warning: constructor of 'Dashboard' in coroutine 'constructs' blocks the event loop: it reaches blocking 'count'; use 'co_await aorm::sync_to_async(...)' around it instead [aorm-blocking-call-in-coroutine]
  co_return board.posts;
}

// A virtual call blocks only when every body it may run does.
struct Repo {
  virtual ~Repo() = default;
  virtual std::int64_t load() { return Post::objects.count(); }
};
struct CachedRepo : Repo {
  std::int64_t load() override { return 1; }
};
struct Store {
  virtual ~Store() = default;
  virtual std::int64_t size() = 0;
};
struct SqlStore : Store {
  std::int64_t size() override { return Post::objects.count(); }
};
Task<std::int64_t> virtual_calls(Repo &any, CachedRepo &cached, Store &store) {
  std::int64_t a = any.load() + cached.load();
  std::int64_t b = store.size();
// CHECK-MESSAGES: :[[@LINE-1]]:26: warning: call to 'size' in coroutine 'virtual_calls' blocks the event loop: it reaches blocking 'count'; use 'co_await aorm::sync_to_async(...)' around it instead [aorm-blocking-call-in-coroutine]
  co_return a + b;
}

// A synchronous generator is not an event-loop coroutine.
struct Counts {
  struct promise_type {
    std::int64_t current = 0;
    Counts get_return_object() { return {}; }
    std::suspend_always initial_suspend() noexcept { return {}; }
    std::suspend_always final_suspend() noexcept { return {}; }
    std::suspend_always yield_value(std::int64_t v) {
      current = v;
      return {};
    }
    void return_void() {}
    void unhandled_exception() {}
  };
};
Counts counts() { co_yield Post::objects.count(); }

// ---- fix-its that keep the program's meaning ----------------------------------------------------

Task<std::size_t> typed_results(aorm::QuerySet<Post> qs) {
  std::size_t braced{qs.size()};
// CHECK-MESSAGES: :[[@LINE-1]]:25: warning: call to 'size' in coroutine 'typed_results' blocks the event loop; use 'co_await qs.acount()' instead [aorm-blocking-call-in-coroutine]
// CHECK-FIXES: {{^}}  std::size_t braced{static_cast<std::size_t>(co_await qs.acount())};{{$}}
  auto deduced = qs.size();
// CHECK-MESSAGES: :[[@LINE-1]]:21: warning: call to 'size' in coroutine 'typed_results' blocks the event loop; use 'co_await qs.acount()' instead [aorm-blocking-call-in-coroutine]
// CHECK-FIXES: {{^}}  auto deduced = static_cast<std::size_t>(co_await qs.acount());{{$}}
  std::size_t rows = 0;
  for (const Post &p : qs.iterator(100))
// CHECK-MESSAGES: :[[@LINE-1]]:27: warning: call to 'iterator' in coroutine 'typed_results' blocks the event loop; its async twin 'aiterator' returns 'AsyncIterator<Post>', which is not awaited as a whole; rewrite the code around it and 'co_await' what it offers [aorm-blocking-call-in-coroutine]
// CHECK-FIXES: {{^}}  for (const Post &p : qs.iterator(100)){{$}}
    rows += p.title.size();
  const Post &first = qs[0];
// CHECK-MESSAGES: :[[@LINE-1]]:23: warning: 'operator[]' on 'qs' in coroutine 'typed_results' blocks the event loop; a fix would bind 'first' into the temporary list 'co_await qs.alist()' yields; await that into a named variable first and index it [aorm-blocking-call-in-coroutine]
// CHECK-FIXES: {{^}}  const Post &first = qs[0];{{$}}
  co_return braced + deduced + rows + first.title.size();
}

// A generic coroutine lambda is checked in each instantiation, where `auto` resolves.
Task<std::int64_t> generic_lambda() {
  auto counted = [](auto qs) -> Task<std::int64_t> { co_return qs.count(); };
// CHECK-MESSAGES: :[[@LINE-1]]:67: warning: call to 'count' in coroutine lambda blocks the event loop; use 'co_await qs.acount()' instead [aorm-blocking-call-in-coroutine]
// CHECK-FIXES: {{^}}  auto counted = [](auto qs) -> Task<std::int64_t> { co_return co_await qs.acount(); };{{$}}
  co_return co_await counted(Post::objects.all());
}

// A template's finding comes from its instantiation, which knows the types: once, no fix-it here.
template <class M> Task<std::size_t> copied(aorm::QuerySet<M> qs) {
  std::vector<M> all(qs.begin(), qs.end());
// CHECK-MESSAGES: :[[@LINE-1]]:25: warning: call to 'begin' in coroutine 'copied' blocks the event loop; 'co_await' on its async twin 'alist' yields 'std::vector<Post>', not '{{.*}}'; await it into a named variable first and use that [aorm-blocking-call-in-coroutine]
// CHECK-MESSAGES: :[[@LINE-2]]:37: warning: call to 'end' in coroutine 'copied' blocks the event loop; 'co_await' on its async twin 'alist' yields 'std::vector<Post>', not '{{.*}}'; await it into a named variable first and use that [aorm-blocking-call-in-coroutine]
// CHECK-FIXES: {{^}}  std::vector<M> all(qs.begin(), qs.end());{{$}}
  co_return all.size();
}
Task<std::size_t> use_copied() { co_return co_await copied(Post::objects.all()); }
