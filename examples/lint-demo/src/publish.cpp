// Publishing workflow.
#include "models.hpp"

using aorm::Q;
using aorm::Task;

// Misuse: save() on an instance blocks inside a coroutine.
Task<void> publish(std::int64_t id) {
  Post post = co_await Post::objects.aget(Q("id", id));
  post.published = true;
  post.save();
}

// Correct: blocking work handed to the worker pool.
Task<std::int64_t> drafts() {
  co_return co_await aorm::sync_to_async(
      [] { return Post::objects.filter(Q("published", false)).count(); });
}
