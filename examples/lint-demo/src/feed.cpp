// Request handlers for the feed page: coroutines on the event loop.
#include "models.hpp"

using aorm::Q;
using aorm::Task;

// Misuse: get() blocks the event loop; aget() is the awaitable twin.
Task<std::string> post_title(std::int64_t id) {
  Post post = Post::objects.get(Q("id", id));
  co_return post.title;
}

// Misuse: count() blocks too.
Task<std::int64_t> published_count() {
  co_return Post::objects.filter(Q("published", true)).count();
}

// Correct: the twin is awaited.
Task<std::string> author_name(std::int64_t id) {
  Author author = co_await Author::objects.aget(Q("id", id));
  co_return author.name;
}
