// The blog models of the runtime contract (docs/runtime.md), shared by the runtime suites, the
// check tests and the benchmarks. The examples keep their own copy so each reads on its own.
#pragma once

#include <aorm/aorm.hpp>

#include <cstdint>
#include <optional>
#include <string>

struct Author : aorm::Model<Author> {
  std::int64_t id = 0;
  std::string name;
  std::optional<std::string> email;
};
AORM_MODEL(Author, "author", id, name, email)

struct Post : aorm::Model<Post> {
  std::int64_t id = 0;
  std::string title;
  bool published = false;
  aorm::DateTime created{};
  std::int64_t views = 0;
  double rating = 0;
  aorm::ForeignKey<Author> author;
  std::optional<std::string> body;
};
AORM_MODEL(Post, "post", id, title, published, created, views, rating, author, body)
