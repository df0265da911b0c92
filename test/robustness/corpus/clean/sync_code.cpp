// Correct sync code: blocking terminals in plain functions (never on an event loop), including the
// implicit evaluations and transactions.
#include "../models.hpp"

#include <string>
#include <vector>

using aorm::Q;

std::int64_t total_views() {
  std::int64_t total = 0;
  for (const Post &p : Post::objects.all())
    total += p.views;
  return total;
}

bool any_published() {
  auto qs = Post::objects.filter(Q("published", true));
  return qs ? qs.size() > 0 : false;
}

std::string first_title() {
  auto qs = Post::objects.order_by("created");
  return qs.exists() ? qs[0].title : std::string();
}

void rename_author(std::int64_t id, const std::string &name) {
  aorm::atomic([&] {
    Author a = Author::objects.get(Q("id", id));
    a.name = name;
    a.save();
    Post::objects.filter(Q("author", id)).update({{"views", 0}});
  });
}

std::vector<Post> with_authors() {
  std::vector<Post> posts = Post::objects.select_related("author").list();
  for (Post &p : posts)
    (void)p.author.get();
  return posts;
}

int main() {
  aorm::setup("sqlite::memory:");
  aorm::migrate<Author, Post>();
  rename_author(1, "x");
  return any_published() && total_views() > 0 && !first_title().empty() &&
         !with_authors().empty();
}
