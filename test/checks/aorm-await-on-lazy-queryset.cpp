// RUN: %check_aorm_tidy %s aorm-await-on-lazy-queryset %t

#include "Inputs/models.hpp"
#include <vector>

using aorm::Q;
using aorm::QuerySet;
using aorm::Task;

// A coroutine that only builds the query and returns it: awaiting it fetches nothing.
Task<QuerySet<Post>> recent() { co_return Post::objects.filter(Q("published", true)).order_by("-created"); }

Task<std::int64_t> through_a_variable() {
  auto qs = co_await recent();
// CHECK-MESSAGES: :[[@LINE-1]]:13: warning: 'co_await' on 'recent' yields lazy 'aorm::QuerySet<Post>' and fetches nothing, so evaluating it later blocks the event loop; await a terminal instead, e.g. 'co_await qs.alist()' [aorm-await-on-lazy-queryset]
// CHECK-MESSAGES: :[[@LINE-5]]:22: note: coroutine 'recent' returns the query set without evaluating it
// CHECK-MESSAGES: :[[@LINE+1]]:50: note: the query set is evaluated here, by 'count'
  std::int64_t n = qs.filter(Q("views__gte", 1)).count();
  co_return n;
}

Task<std::size_t> offloaded_builder() {
  auto qs = co_await aorm::sync_to_async([] { return Post::objects.filter(Q("views__gte", 10)); });
// CHECK-MESSAGES: :[[@LINE-1]]:13: warning: 'co_await' on 'sync_to_async' yields lazy 'aorm::QuerySet<Post>' and fetches nothing, so evaluating it later blocks the event loop; await a terminal instead, e.g. 'co_await qs.alist()' [aorm-await-on-lazy-queryset]
// CHECK-MESSAGES: :[[@LINE-2]]:22: note: 'sync_to_async' runs only the builders off the loop; evaluate the query set inside the callable or await its terminal
// CHECK-MESSAGES: :[[@LINE+2]]:24: note: the query set is evaluated here, by the range-for
  std::size_t total = 0;
  for (const Post &p : qs)
    total += p.title.size();
  co_return total;
}

Task<bool> evaluated_in_place() {
  std::optional<Post> first = (co_await recent()).first();
// CHECK-MESSAGES: :[[@LINE-1]]:32: warning: 'co_await' on 'recent' yields lazy 'aorm::QuerySet<Post>' and fetches nothing, so evaluating it later blocks the event loop; await a terminal instead, e.g. 'co_await qs.alist()' [aorm-await-on-lazy-queryset]
// CHECK-MESSAGES: :[[@LINE-25]]:22: note: coroutine 'recent' returns the query set without evaluating it
// CHECK-MESSAGES: :[[@LINE-3]]:51: note: the query set is evaluated here, by 'first'
  co_return first.has_value();
}

Task<void> never_evaluated() {
  auto qs = co_await recent();
// CHECK-MESSAGES: :[[@LINE-1]]:13: warning: 'co_await' on 'recent' yields lazy 'aorm::QuerySet<Post>' and fetches nothing, so evaluating it later blocks the event loop; await a terminal instead, e.g. 'co_await qs.alist()' [aorm-await-on-lazy-queryset]
// CHECK-MESSAGES: :[[@LINE-33]]:22: note: coroutine 'recent' returns the query set without evaluating it
  (void)qs;
}

template <class M> Task<void> generic() {
  auto qs = co_await aorm::sync_to_async([] { return M::objects.all(); });
// CHECK-MESSAGES: :[[@LINE-1]]:13: warning: 'co_await' on 'sync_to_async' yields lazy 'aorm::QuerySet<{{Post|Author}}>' and fetches nothing, so evaluating it later blocks the event loop; await a terminal instead, e.g. 'co_await qs.alist()' [aorm-await-on-lazy-queryset]
// CHECK-MESSAGES: :[[@LINE-2]]:22: note: 'sync_to_async' runs only the builders off the loop; evaluate the query set inside the callable or await its terminal
  (void)qs;
}
Task<void> use_generic() {
  co_await generic<Post>();
  co_await generic<Author>();
}

Task<void> suppressed() {
  auto qs = co_await recent(); // NOLINT(aorm-await-on-lazy-queryset)
  (void)qs;
}

// ---- near misses ------------------------------------------------------------------------------

Task<std::vector<Post>> recent_list() { co_return co_await Post::objects.filter(Q("published", true)).alist(); }

namespace mine {
struct QuerySet {
  int rows = 0;
};
} // namespace mine
Task<mine::QuerySet> own_query_set() { co_return mine::QuerySet{}; }

// Building without awaiting is what lazy query sets are for.
QuerySet<Post> build() { return Post::objects.filter(Q("published", true)); }

Task<std::size_t> fine() {
  std::vector<Post> posts = co_await recent_list();
  auto evaluated = co_await aorm::sync_to_async([] { return Post::objects.filter(Q("views__gte", 1)).list(); });
  std::int64_t n = co_await build().acount();
  mine::QuerySet own = co_await own_query_set();
  co_return posts.size() + evaluated.size() + static_cast<std::size_t>(n + own.rows);
}

// Tasks handed to gather that yield query sets fetch nothing either.
Task<std::size_t> gathered() {
  auto [a, b] = co_await aorm::gather(recent(), recent_list());
// CHECK-MESSAGES: :[[@LINE-1]]:39: warning: task 'recent' awaited through 'gather' yields lazy 'aorm::QuerySet<Post>' and fetches nothing, so evaluating it later blocks the event loop; pass a task that awaits a terminal instead, e.g. 'qs.alist()' [aorm-await-on-lazy-queryset]
// CHECK-MESSAGES: :[[@LINE-79]]:22: note: coroutine 'recent' returns the query set without evaluating it
  (void)a;
  co_return b.size();
}
