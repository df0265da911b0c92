// Nightly statistics: a mix of plain functions and coroutines.
#include "models.hpp"

using aorm::F;
using aorm::Q;
using aorm::Task;

// Misuse: the update task is created and dropped, so it never runs.
Task<void> bump_views(std::int64_t id) {
  Post::objects.filter(Q("id", id)).aupdate({{"views", F("views") + 1}});
  co_return;
}

// Correct: a plain function may block.
std::int64_t total_posts() { return Post::objects.count(); }

// Correct: awaited.
Task<std::int64_t> popular_count() {
  co_return co_await Post::objects.filter(Q("views__gte", 100)).acount();
}
