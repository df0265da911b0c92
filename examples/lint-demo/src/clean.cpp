// Housekeeping written correctly: no findings expected here.
#include "models.hpp"

using aorm::Q;
using aorm::Task;

Task<std::int64_t> purge_unpublished() {
  co_return (co_await Post::objects.filter(Q("published", false)).adelete()).total;
}

std::optional<Post> newest() { return Post::objects.order_by("-created").first(); }
