// Misuse: a-methods whose tasks are dropped or never awaited, so the query never runs.
#include "../models.hpp"

using aorm::Q;
using aorm::Task;

Task<void> dropped(Post p) {
  p.asave();
  Post::objects.filter(Q("views", 0)).adelete();
  co_return;
}

Task<std::int64_t> stored_not_awaited() {
  auto pending = Post::objects.acount();
  co_return 0;
}

void plain_function(Post p) { p.arefresh_from_db(); }
