// RUN: %check_aorm_tidy %s aorm-* %t

// The related managers (<aorm/related.hpp>) carry the same declared intent as QuerySet: each
// blocking verb names its a-twin, each a-twin is awaitable, the managers are lazy. All three
// checks run here; positives and near misses side by side.
#include "Inputs/models.hpp"
#include <vector>

using aorm::Q;
using aorm::Task;
using aorm::related;

struct Tag : aorm::Model<Tag> {
  std::int64_t id = 0;
  std::string name;
};
AORM_MODEL(Tag, "tag", id, name)

struct Comment : aorm::Model<Comment> {
  std::int64_t id = 0;
  std::string text;
  aorm::ForeignKey<Post> post;
};
AORM_MODEL(Comment, "comment", id, text, post)

struct Article : aorm::Model<Article> {
  std::int64_t id = 0;
  std::string headline;
  aorm::ManyToMany<Tag> tags;
};
AORM_MODEL(Article, "article", id, headline, tags)

// ---- blocking verbs of a reverse foreign key manager in a coroutine --------------------------

Task<std::int64_t> reverse_blocking(Post post, Comment c) {
  auto comments = related(post, &Comment::post);
  comments.add({c});
// CHECK-MESSAGES: :[[@LINE-1]]:12: warning: call to 'add' in coroutine 'reverse_blocking' blocks the event loop; use 'co_await comments.aadd(...)' instead [aorm-blocking-call-in-coroutine]
// CHECK-FIXES: {{^}}  co_await comments.aadd({c});{{$}}
  Comment made = comments.create(Comment{{}, 0, "hi", {}});
// CHECK-MESSAGES: :[[@LINE-1]]:27: warning: call to 'create' in coroutine 'reverse_blocking' blocks the event loop; use 'co_await comments.acreate(...)' instead [aorm-blocking-call-in-coroutine]
// CHECK-FIXES: {{^}}  Comment made = co_await comments.acreate(Comment{{[{][{]}}}, 0, "hi", {}});{{$}}
  comments.remove({made});
// CHECK-MESSAGES: :[[@LINE-1]]:12: warning: call to 'remove' in coroutine 'reverse_blocking' blocks the event loop; use 'co_await comments.aremove(...)' instead [aorm-blocking-call-in-coroutine]
// CHECK-FIXES: {{^}}  co_await comments.aremove({made});{{$}}
  auto found = comments.get_or_create(Q("text", "hi"));
// CHECK-MESSAGES: :[[@LINE-1]]:25: warning: call to 'get_or_create' in coroutine 'reverse_blocking' blocks the event loop; use 'co_await comments.aget_or_create(...)' instead [aorm-blocking-call-in-coroutine]
// CHECK-FIXES: {{^}}  auto found = co_await comments.aget_or_create(Q("text", "hi"));{{$}}
  comments.clear();
// CHECK-MESSAGES: :[[@LINE-1]]:12: warning: call to 'clear' in coroutine 'reverse_blocking' blocks the event loop; use 'co_await comments.aclear()' instead [aorm-blocking-call-in-coroutine]
// CHECK-FIXES: {{^}}  co_await comments.aclear();{{$}}
  co_return comments.count() + found.first.id;
// CHECK-MESSAGES: :[[@LINE-1]]:22: warning: call to 'count' in coroutine 'reverse_blocking' blocks the event loop; use 'co_await comments.acount()' instead [aorm-blocking-call-in-coroutine]
// CHECK-FIXES: {{^}}  co_return co_await comments.acount() + found.first.id;{{$}}
}

// ---- many-to-many, both directions, and implicit evaluation ----------------------------------

Task<std::size_t> many_blocking(Article article, Tag tag) {
  auto tags = related(article, &Article::tags);
  tags.set({tag});
// CHECK-MESSAGES: :[[@LINE-1]]:8: warning: call to 'set' in coroutine 'many_blocking' blocks the event loop; use 'co_await tags.aset(...)' instead [aorm-blocking-call-in-coroutine]
// CHECK-FIXES: {{^}}  co_await tags.aset({tag});{{$}}
  std::size_t n = 0;
  for (const Tag &t : tags)
// CHECK-MESSAGES: :[[@LINE-1]]:23: warning: range-for over 'tags' in coroutine 'many_blocking' blocks the event loop; use 'co_await tags.alist()' instead [aorm-blocking-call-in-coroutine]
// CHECK-FIXES: {{^}}  for (const Tag &t : co_await tags.alist()){{$}}
    n += t.name.size();
  auto articles = related(tag, &Article::tags).update_or_create(Q("headline", "x"));
// CHECK-MESSAGES: :[[@LINE-1]]:48: warning: call to 'update_or_create' in coroutine 'many_blocking' blocks the event loop; use 'co_await related(tag, &Article::tags).aupdate_or_create(...)' instead [aorm-blocking-call-in-coroutine]
// CHECK-FIXES: {{^}}  auto articles = co_await related(tag, &Article::tags).aupdate_or_create(Q("headline", "x"));{{$}}
  co_return n + static_cast<std::size_t>(articles.first.id);
}

// ---- a-twins that are dropped or never awaited ------------------------------------------------

Task<void> dropped(Article article, Tag tag) {
  related(article, &Article::tags).aadd({tag});
// CHECK-MESSAGES: :[[@LINE-1]]:3: warning: task returned by 'aadd' is discarded, so it never runs; use 'co_await ...aadd(...)' instead [aorm-missing-co-await]
// CHECK-FIXES: {{^}}  co_await related(article, &Article::tags).aadd({tag});{{$}}
  co_return;
}

// ---- near misses: awaited twins, building a manager, sync code outside coroutines ------------

Task<std::int64_t> awaited(Post post, Article article, Tag tag) {
  auto comments = related(post, &Comment::post);
  auto tags = related(article, &Article::tags);
  co_await tags.aadd({tag});
  co_await tags.aremove({tag});
  co_await tags.aclear();
  auto made = co_await comments.acreate(Comment{{}, 0, "ok", {}});
  auto n = co_await tags.acount();
  co_return n + made.id;
}

std::int64_t sync_code(Post post, Article article, Tag tag) {
  auto tags = related(article, &Article::tags);
  tags.add({tag});
  tags.clear();
  std::int64_t n = 0;
  for (const Comment &c : related(post, &Comment::post))
    n += c.id;
  return n + tags.count();
}
