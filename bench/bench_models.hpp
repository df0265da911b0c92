// The models every runtime benchmark queries, and a scratch database filled with them.
#pragma once

#include <aorm/aorm.hpp>

#include "../test/support/blog_models.hpp"

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

namespace bench {

using ::Author;
using ::Post;

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
