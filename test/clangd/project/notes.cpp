// Sample for the aorm-clangd test: a finding with a note (the blocking call it reaches) and no
// fix-it, so it shows related information and offers no quick fix.
#include <aorm/aorm.hpp>

#include <cstdint>
#include <string>

struct Post : aorm::Model<Post> {
  std::int64_t id = 0;
  std::string title;
};
AORM_MODEL(Post, "post", id, title)

std::int64_t total() { return Post::objects.count(); }

aorm::Task<std::int64_t> report() { co_return total(); }
