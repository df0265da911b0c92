// Correct offloading: blocking work inside sync_to_async callables, which run on the worker pool.
#include "../models.hpp"

#include <string>
#include <vector>

using aorm::Q;
using aorm::Task;

Task<std::int64_t> count_offloaded() {
  auto job = [] { return Post::objects.filter(Q("published", true)).count(); };
  co_return co_await aorm::sync_to_async(job);
}

Task<std::vector<std::string>> titles_offloaded() {
  auto job = [] {
    std::vector<std::string> out;
    for (const Post &p : Post::objects.order_by("title"))
      out.push_back(p.title);
    return out;
  };
  co_return co_await aorm::sync_to_async(job);
}

Task<void> transaction_offloaded(std::int64_t id) {
  auto job = [id] {
    aorm::atomic([id] {
      Post p = Post::objects.get(Q("id", id));
      p.views += 1;
      p.save();
    });
  };
  co_await aorm::sync_to_async(job);
}

std::int64_t blocking_helper() { return Author::objects.count() + Post::objects.count(); }

Task<std::int64_t> helper_offloaded() {
  co_return co_await aorm::sync_to_async(blocking_helper);
}

Task<std::int64_t> inline_lambda() {
  co_return co_await aorm::sync_to_async([] { return Post::objects.all().list().size(); });
}
