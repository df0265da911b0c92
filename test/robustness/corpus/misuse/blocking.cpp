// Misuse: blocking terminals called inside coroutines. Each one stalls the event loop.
#include "../models.hpp"

#include <string>
#include <vector>

using aorm::Q;
using aorm::Task;

Task<std::int64_t> counts() {
  std::int64_t n = Post::objects.filter(Q("published", true)).count();
  co_return n + Author::objects.count();
}

Task<std::string> gets(std::int64_t id) {
  Post p = Post::objects.get(Q("id", id));
  std::optional<Post> f = Post::objects.order_by("-views").first();
  co_return p.title + (f ? f->title : "");
}

Task<bool> exists_and_list() {
  bool any = Post::objects.filter(Q("views__gt", 10)).exists();
  std::vector<Post> all = Post::objects.all().list();
  co_return any && !all.empty();
}

Task<void> writes(Post p) {
  p.views += 1;
  p.save();
  Post::objects.filter(Q("views", 0)).update({{"views", 1}});
  p.delete_();
  co_return;
}

Task<std::int64_t> implicit_evaluation() {
  auto qs = Post::objects.filter(Q("published", true));
  std::int64_t total = 0;
  for (const Post &p : qs)
    total += p.views;
  co_return total;
}

Task<std::string> foreign_key(Post p) {
  Author a = p.author.get();
  co_return a.name;
}

Task<void> no_twin() {
  aorm::migrate<Author, Post>();
  co_return;
}
