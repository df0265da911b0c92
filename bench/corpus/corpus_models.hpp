// Models shared by every translation unit of the generated linter corpus (bench/gen_corpus.py).
#pragma once

#include <aorm/aorm.hpp>

#include <cstdint>
#include <optional>
#include <string>

namespace corpus {

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

} // namespace corpus
