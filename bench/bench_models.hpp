// The models every runtime benchmark queries, and a scratch database filled with them.
#pragma once

#include <aorm/aorm.hpp>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

namespace bench {

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

// A file database in a fresh temporary directory (removed on destruction), holding `posts`
// posts by ten authors, set up as the default aorm database.
class Fixture {
public:
  explicit Fixture(int posts);
  ~Fixture();
  Fixture(const Fixture &) = delete;
  Fixture &operator=(const Fixture &) = delete;
  const std::filesystem::path &file() const { return file_; }
  int posts() const { return posts_; }

private:
  std::filesystem::path dir_;
  std::filesystem::path file_;
  int posts_;
};

} // namespace bench
