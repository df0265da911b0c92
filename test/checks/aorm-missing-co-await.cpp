// RUN: %check_aorm_tidy %s aorm-missing-co-await %t

#include "Inputs/models.hpp"
#include <tuple>
#include <utility>
#include <vector>

using aorm::Q;
using aorm::Task;

Task<int> helper() { co_return 1; }

// ---- discarded in a coroutine --------------------------------------------------------------

Task<void> discarded(Post post) {
  Post::objects.filter(Q("views__gte", 10)).aupdate({{"views", aorm::F("views") + 1}});
// CHECK-MESSAGES: :[[@LINE-1]]:3: warning: task returned by 'aupdate' is discarded, so it never runs; use 'co_await ...aupdate(...)' instead [aorm-missing-co-await]
// CHECK-FIXES: {{^}}  co_await Post::objects.filter(Q("views__gte", 10)).aupdate({{[{][{]}}"views", aorm::F("views") + 1}});{{$}}
  post.asave();
// CHECK-MESSAGES: :[[@LINE-1]]:3: warning: task returned by 'asave' is discarded, so it never runs; use 'co_await post.asave()' instead [aorm-missing-co-await]
// CHECK-FIXES: {{^}}  co_await post.asave();{{$}}
  helper();
// CHECK-MESSAGES: :[[@LINE-1]]:3: warning: task returned by 'helper' is discarded, so it never runs; use 'co_await helper()' instead [aorm-missing-co-await]
// CHECK-FIXES: {{^}}  co_await helper();{{$}}
  if (post.views > 0)
    post.adelete();
// CHECK-MESSAGES: :[[@LINE-1]]:5: warning: task returned by 'adelete' is discarded, so it never runs; use 'co_await post.adelete()' instead [aorm-missing-co-await]
// CHECK-FIXES: {{^}}    co_await post.adelete();{{$}}
  (void)Post::objects.acount();
// CHECK-MESSAGES: :[[@LINE-1]]:9: warning: task returned by 'acount' is discarded, so it never runs; use 'co_await Post::objects.acount()' instead [aorm-missing-co-await]
// CHECK-FIXES: {{^}}  (void)co_await Post::objects.acount();{{$}}
  co_return;
}

// ---- stored and never awaited ----------------------------------------------------------------

Task<std::int64_t> stored() {
  auto pending = Post::objects.acount();
// CHECK-MESSAGES: :[[@LINE-1]]:18: warning: task returned by 'acount' is stored in 'pending' and never awaited, moved, returned or passed on, so it never runs; use 'co_await Post::objects.acount()' instead [aorm-missing-co-await]
// CHECK-FIXES: {{^}}  auto pending = co_await Post::objects.acount();{{$}}
  Task<std::int64_t> typed = Post::objects.acount();
// CHECK-MESSAGES: :[[@LINE-1]]:30: warning: task returned by 'acount' is stored in 'typed' and never awaited, moved, returned or passed on, so it never runs; use 'co_await Post::objects.acount()' instead [aorm-missing-co-await]
// CHECK-FIXES: {{^}}  Task<std::int64_t> typed = Post::objects.acount();{{$}}
  co_return 0;
}

// ---- created outside any coroutine -------------------------------------------------------------

void not_a_coroutine(Post post) {
  post.asave();
// CHECK-MESSAGES: :[[@LINE-1]]:3: warning: task returned by 'asave' is discarded in non-coroutine 'not_a_coroutine', so it never runs; call the blocking 'save' instead, or drive the task with 'aorm::run(...)' [aorm-missing-co-await]
// CHECK-FIXES: {{^}}  post.asave();{{$}}
  auto t = Post::objects.acount();
// CHECK-MESSAGES: :[[@LINE-1]]:12: warning: task returned by 'acount' is stored in 't' and never awaited, moved, returned or passed on in non-coroutine 'not_a_coroutine', so it never runs; call the blocking 'count' instead, or drive the task with 'aorm::run(...)' [aorm-missing-co-await]
// CHECK-FIXES: {{^}}  auto t = Post::objects.acount();{{$}}
  helper();
// CHECK-MESSAGES: :[[@LINE-1]]:3: warning: task returned by 'helper' is discarded in non-coroutine 'not_a_coroutine', so it never runs; drive it with 'aorm::run(...)' or make the caller a coroutine [aorm-missing-co-await]
// CHECK-FIXES: {{^}}  helper();{{$}}
}

// ---- templates: reported once ------------------------------------------------------------------

template <class M> Task<void> touch_all() {
  M::objects.acount();
// CHECK-MESSAGES: :[[@LINE-1]]:3: warning: task returned by 'acount' is discarded, so it never runs; use 'co_await M::objects.acount()' instead [aorm-missing-co-await]
// CHECK-FIXES: {{^}}  co_await M::objects.acount();{{$}}
  co_return;
}
Task<void> use_templates() {
  co_await touch_all<Post>();
  co_await touch_all<Author>();
}

// ---- macros and NOLINT -------------------------------------------------------------------------

#define REFRESH(obj) (obj).arefresh_from_db()

Task<void> macros_and_suppression(Post post) {
  REFRESH(post);
// CHECK-MESSAGES: :[[@LINE-1]]:3: warning: task returned by 'arefresh_from_db' is discarded, so it never runs; use 'co_await REFRESH(post)' instead [aorm-missing-co-await]
// CHECK-FIXES: {{^}}  REFRESH(post);{{$}}
  post.asave(); // NOLINT(aorm-missing-co-await)
  // NOLINTNEXTLINE(aorm-missing-co-await)
  post.asave();
  co_return;
}

// ---- near misses: awaited, moved, returned, passed on ------------------------------------------

Task<std::int64_t> awaited(Post post) {
  co_await post.asave();
  std::int64_t n = co_await Post::objects.acount();
  auto later = Post::objects.acount();
  n += co_await later;
  auto moved = Post::objects.acount();
  std::vector<Task<std::int64_t>> batch;
  batch.push_back(std::move(moved));
  auto results = co_await aorm::gather(std::move(batch));
  auto [a, b] = co_await aorm::gather(Post::objects.acount(), Author::objects.acount());
  co_return n + a + b + static_cast<std::int64_t>(results.size());
}

// A plain function may create and return a task: its caller awaits it.
Task<std::int64_t> forwards() { return Post::objects.acount(); }

Task<std::int64_t> returned_from_coroutine() {
  auto t = Post::objects.acount();
  co_return co_await std::move(t);
}

int driven_by_run() { return aorm::run(helper()); }

// A reference to a task that lives elsewhere, and a frame handed to code that drives it by hand.
Task<int> references_and_handles() {
  std::vector<Task<int>> tasks;
  tasks.emplace_back(helper());
  auto manual = helper();
  auto frame = manual.handle();
  (void)frame;
  auto checked = helper();
// CHECK-MESSAGES: :[[@LINE-1]]:18: warning: task returned by 'helper' is stored in 'checked' and never awaited, moved, returned or passed on, so it never runs; use 'co_await helper()' instead [aorm-missing-co-await]
// CHECK-FIXES: {{^}}  auto checked = helper();{{$}}
  int n = static_cast<int>(tasks.size()) + (checked.valid() ? 1 : 0);
  co_return n + co_await std::move(tasks.front());
}

// Something that is not a task: an a-method's async iterator, a user's own async-looking API.
struct Client {
  int aget() const { return 1; }
};
Task<int> not_tasks(Client client) {
  auto it = Post::objects.aiterator(10);
  while (auto post = co_await it.next())
    (void)post;
  client.aget();
  co_return 0;
}

// ---- flow: awaited on every path, once -----------------------------------------------------------

Task<std::int64_t> one_branch(bool flag) {
  auto t = Post::objects.acount();
// CHECK-MESSAGES: :[[@LINE-1]]:12: warning: task returned by 'acount' is stored in 't' and not awaited on every path, so on some paths it never runs; await it on each path, or before the paths part [aorm-missing-co-await]
  if (flag)
    co_return co_await std::move(t);
// CHECK-MESSAGES: :[[@LINE-1]]:34: note: 't' is handled here, on some paths only
  co_return 0;
}

Task<std::int64_t> early_return(bool done) {
  auto t = Post::objects.acount();
// CHECK-MESSAGES: :[[@LINE-1]]:12: warning: task returned by 'acount' is stored in 't' and not awaited on every path, so on some paths it never runs; await it on each path, or before the paths part [aorm-missing-co-await]
  if (done)
    co_return 0;
  co_return co_await std::move(t);
}

Task<void> only_in_loop(int n) {
  auto t = Post::objects.acount();
// CHECK-MESSAGES: :[[@LINE-1]]:12: warning: task returned by 'acount' is stored in 't' and not awaited on every path, so on some paths it never runs; await it on each path, or before the paths part [aorm-missing-co-await]
  for (int i = 0; i < n; ++i)
    co_await t;
// CHECK-MESSAGES: :[[@LINE-1]]:14: warning: task 't' is awaited again after it was awaited; a task runs only once [aorm-missing-co-await]
}

Task<std::int64_t> awaited_twice() {
  auto t = Post::objects.acount();
  std::int64_t a = co_await t;
  std::int64_t b = co_await t;
// CHECK-MESSAGES: :[[@LINE-1]]:29: warning: task 't' is awaited again after it was awaited; a task runs only once [aorm-missing-co-await]
// CHECK-MESSAGES: :[[@LINE-3]]:29: note: first awaited here
  co_return a + b;
}

Task<bool> used_after_move() {
  auto t = Post::objects.acount();
  std::vector<Task<std::int64_t>> batch;
  batch.push_back(std::move(t));
  bool valid = t.valid();
// CHECK-MESSAGES: :[[@LINE-1]]:16: warning: task 't' is used after it was moved from; the task it held is gone [aorm-missing-co-await]
// CHECK-MESSAGES: :[[@LINE-3]]:29: note: moved from here
  co_await aorm::gather(std::move(batch));
  co_return valid;
}

// ---- flow near misses ------------------------------------------------------------------------------

Task<std::int64_t> every_branch(bool flag) {
  auto t = Post::objects.acount();
  if (flag)
    co_return co_await std::move(t);
  co_return 1 + co_await std::move(t);
}

Task<std::int64_t> awaited_then_replaced() {
  auto t = Post::objects.acount();
  std::int64_t a = co_await t;
  t = Author::objects.acount();
  co_return a + co_await t;
}

Task<std::int64_t> awaited_before_the_branch(bool flag) {
  auto t = Post::objects.acount();
  std::int64_t n = co_await std::move(t);
  if (flag)
    co_return n;
  co_return n + 1;
}

// ---- stored in other shapes ----------------------------------------------------------------------

Task<void> stored_void(Post post) {
  auto saving = post.asave();
// CHECK-MESSAGES: :[[@LINE-1]]:17: warning: task returned by 'asave' is stored in 'saving' and never awaited, moved, returned or passed on, so it never runs; use 'co_await post.asave()' instead [aorm-missing-co-await]
// CHECK-FIXES: {{^}}  co_await post.asave();{{$}}
  co_return;
}

Task<std::int64_t> bound_to_reference() {
  const auto &n = Post::objects.acount();
// CHECK-MESSAGES: :[[@LINE-1]]:19: warning: task returned by 'acount' is stored in 'n' and never awaited, moved, returned or passed on, so it never runs; use 'co_await Post::objects.acount()' instead [aorm-missing-co-await]
// CHECK-FIXES: {{^}}  const auto &n = co_await Post::objects.acount();{{$}}
  auto &&m = Author::objects.acount();
// CHECK-MESSAGES: :[[@LINE-1]]:14: warning: task returned by 'acount' is stored in 'm' and never awaited, moved, returned or passed on, so it never runs; use 'co_await Author::objects.acount()' instead [aorm-missing-co-await]
// CHECK-FIXES: {{^}}  auto &&m = co_await Author::objects.acount();{{$}}
  co_return 0;
}

Task<void> dropped_on_purpose(Post post) {
  std::ignore = post.asave();
// CHECK-MESSAGES: :[[@LINE-1]]:17: warning: task returned by 'asave' is assigned to 'std::ignore', so it never runs; use 'co_await post.asave()' instead [aorm-missing-co-await]
// CHECK-FIXES: {{^}}  std::ignore = post.asave();{{$}}
  co_return;
}

// The offloaded lambda returns a task: awaiting the hop yields that task, which nobody runs.
Task<void> task_from_offload(Post post) {
  co_await aorm::sync_to_async([post]() mutable { return post.asave(); });
// CHECK-MESSAGES: :[[@LINE-1]]:3: warning: task yielded by 'co_await sync_to_async' is discarded, so it never runs; use 'co_await co_await sync_to_async(...)' instead [aorm-missing-co-await]
// CHECK-FIXES: {{^}}  co_await co_await aorm::sync_to_async([post]() mutable { return post.asave(); });{{$}}
}
