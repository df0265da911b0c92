// Every fix-it over a corpus of positives: the fixed file compiles against the runtime, has no
// findings left, and fixing it again changes nothing.
// RUN: rm -rf %t && mkdir -p %t && cp %s %t/corpus.cpp
// RUN: %clang_tidy_aorm -checks='-*,aorm-*' --fix %t/corpus.cpp -- %cxxflags -I%S 2>&1 | %FileCheck %s --check-prefix=FOUND
// FOUND-DAG: [aorm-blocking-call-in-coroutine]
// FOUND-DAG: [aorm-missing-co-await]
// FOUND: clang-tidy applied [[N:[0-9]+]] of [[N]] suggested fixes.
// RUN: not diff %s %t/corpus.cpp
// RUN: %clangxx -fsyntax-only %cxxflags -I%S %t/corpus.cpp
// RUN: %clang_tidy_aorm -checks='-*,aorm-*' --warnings-as-errors='aorm-*' %t/corpus.cpp -- %cxxflags -I%S
// RUN: cp %t/corpus.cpp %t/again.cpp
// RUN: %clang_tidy_aorm -checks='-*,aorm-*' --fix %t/again.cpp -- %cxxflags -I%S
// RUN: diff %t/corpus.cpp %t/again.cpp

#include "Inputs/models.hpp"
#include <string>

using aorm::Q;
using aorm::Task;

struct Note : aorm::Model<Note> {
  std::int64_t id = 0;
  std::string text;

  // Blocking members called on `this`.
  Task<void> touch() {
    save();
    refresh_from_db();
    co_return;
  }
};
AORM_MODEL(Note, "note", id, text)

Task<std::string> precedence(bool flag) {
  auto qs = Post::objects.filter(Q("published", true));
  std::string title = Post::objects.first()->title;
  title += Post::objects.get(Q("id", 1)).title;
  title += qs[0].title;
  std::int64_t n = qs.count() * 2 - Post::objects.count();
  n += -qs.count();
  n += flag ? qs.count() : 0;
  if (!qs || (qs.exists() && qs.count() > 1))
    n += static_cast<std::int64_t>(qs.size());
  title += std::to_string(qs.filter(Q("views__gte", n)).count());
  for (const Post &p : qs.filter(Q("views__gte", 10)).order_by("-created"))
    title += p.title;
  co_return title;
}

Task<void> instances(Post post) {
  post.save();
  Author author = post.author.get();
  post.delete_();
  post.refresh_from_db();
  (void)author;
  co_return;
}

Task<void> forgotten(Post post) {
  post.asave();
  Post::objects.filter(Q("views__lt", 1)).adelete();
  auto pending = Post::objects.acount();
  co_return;
}

Task<std::int64_t> lambdas() {
  auto inner = [](aorm::QuerySet<Post> qs) -> Task<std::int64_t> { co_return qs.count(); };
  co_return co_await inner(Post::objects.all());
}

// Nested blocking calls: each gets its own co_await, and the fixes compose.
Task<std::string> nested() {
  auto name = Post::objects.get(Q("id", 1)).author.get().name;
  auto n = Post::objects.filter(Q("views__gte", Post::objects.count())).count();
  co_return name + std::to_string(n);
}

// Receivers that are not postfix expressions, and a blocking call inside a range-for's range.
Task<std::size_t> receivers(bool c) {
  std::size_t n = 0;
  for (const Post &p : Post::objects.filter(Q("views__gte", Post::objects.count())))
    n += p.title.size();
  auto a = Post::objects.all();
  auto b = Post::objects.all();
  for (const Post &p : c ? a : b)
    n += p.title.size();
  n += (c ? a : b)[0].title.size();
  if (c ? a : b)
    ++n;
  co_return n;
}

// Fixes that keep types: a cast where the exact type matters, a stored Task<void> becomes the
// await, a task bound to a reference.
Task<std::size_t> typed(Post post) {
  auto qs = Post::objects.all();
  std::size_t braced{qs.size()};
  auto deduced = qs.size();
  auto saving = post.asave();
  const auto &n = Post::objects.acount();
  co_return braced + deduced;
}
