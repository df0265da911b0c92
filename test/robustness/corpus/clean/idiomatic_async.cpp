// Correct async code: every query is awaited through an a-method, tasks are gathered, stored and
// awaited later, or returned to the caller unawaited from a plain function.
#include "../models.hpp"

#include <string>
#include <tuple>
#include <vector>

using aorm::F;
using aorm::Q;
using aorm::Task;

Task<std::int64_t> published_count() {
  co_return co_await Post::objects.filter(Q("published", true)).acount();
}

Task<std::vector<std::string>> top_titles(int n) {
  auto qs = Post::objects.order_by("-views")[aorm::slice(0, n)];
  std::vector<std::string> out;
  for (const Post &p : co_await qs.alist())
    out.push_back(p.title);
  co_return out;
}

Task<void> publish(std::int64_t id) {
  Post p = co_await Post::objects.aget(Q("id", id));
  p.published = true;
  co_await p.asave();
  co_await p.arefresh_from_db();
}

Task<std::int64_t> bump_all(std::int64_t min_views) {
  aorm::Assignments bump{{"views", F("views") + 1}};
  co_return co_await Post::objects.filter(Q("views__gte", min_views)).aupdate(bump);
}

Task<std::string> author_of(std::int64_t post_id) {
  Post p = co_await Post::objects.aget(Q("id", post_id));
  Author a = co_await p.author.aget();
  co_return a.name;
}

Task<bool> exists_then_first() {
  auto qs = Post::objects.filter(Q("title__icontains", "async"));
  if (!co_await qs.aexists())
    co_return false;
  std::optional<Post> first = co_await qs.afirst();
  co_return first.has_value();
}

Task<std::int64_t> in_parallel() {
  auto [a, b] = co_await aorm::gather(Post::objects.acount(), Author::objects.acount());
  co_return a + b;
}

Task<std::int64_t> stored_then_awaited() {
  Task<std::int64_t> pending = Post::objects.acount();
  std::int64_t authors = co_await Author::objects.acount();
  co_return authors + co_await std::move(pending);
}

Task<std::int64_t> many_at_once(std::vector<std::int64_t> ids) {
  std::vector<Task<bool>> checks;
  for (std::int64_t id : ids)
    checks.push_back(Post::objects.filter(Q("id", id)).aexists());
  std::int64_t found = 0;
  for (bool b : co_await aorm::gather(std::move(checks)))
    found += b ? 1 : 0;
  co_return found;
}

Task<std::int64_t> chunked_sum() {
  auto it = Post::objects.order_by("id").aiterator(50);
  std::int64_t total = 0;
  while (auto p = co_await it.next())
    total += p->views;
  co_return total;
}

Task<void> prefetch_and_delete() {
  std::vector<Post> posts = co_await Post::objects.filter(Q("views", 0)).alist();
  co_await aorm::aprefetch_related_objects(posts, "author");
  for (Post &p : posts)
    co_await p.adelete();
  co_await Post::objects.filter(Q("views__lt", 0)).adelete();
}

// A plain function may hand the task to its caller without awaiting it.
Task<std::int64_t> count_of(aorm::QuerySet<Post> qs) { return qs.acount(); }

Task<std::int64_t> uses_count_of() {
  co_return co_await count_of(Post::objects.filter(Q("published", false)));
}

int main() {
  aorm::setup("sqlite::memory:");
  aorm::migrate<Author, Post>();
  return static_cast<int>(aorm::run(in_parallel()));
}
