// Misuse: awaiting something that yields a lazy QuerySet; nothing is fetched by the await, and a
// sync evaluation afterwards runs the query on the loop.
#include "../models.hpp"

using aorm::Q;
using aorm::QuerySet;
using aorm::Task;

Task<QuerySet<Post>> published() { co_return Post::objects.filter(Q("published", true)); }

Task<std::int64_t> awaits_builder_then_counts() {
  auto qs = co_await published();
  co_return qs.count();
}

// The check flags the await itself even when an a-terminal follows: a Task<QuerySet> does no I/O,
// so the advice is to return the query set from a plain function instead.
Task<std::int64_t> awaits_builder_then_acounts() {
  auto qs = co_await published();
  co_return co_await qs.acount();
}
