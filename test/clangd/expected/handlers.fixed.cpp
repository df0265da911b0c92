// Sample for the aorm-clangd test: one clangd warning (unused variable under -Wall) and one aorm
// finding (a blocking call in a coroutine). The comment before it holds characters that take
// different widths in UTF-8 and UTF-16, so positions are only right if converted correctly.
#include <aorm/aorm.hpp>

#include <cstdint>
#include <string>

struct Post : aorm::Model<Post> {
  std::int64_t id = 0;
  std::string title;
  std::int64_t views = 0;
};
AORM_MODEL(Post, "post", id, title, views)

aorm::Task<std::int64_t> count_posts() {
  int unused = 0;
  /* café 🙂 */ co_return co_await Post::objects.acount();
}
