// The project's one model.
#pragma once

#include <aorm/aorm.hpp>

struct Post : aorm::Model<Post> {
  std::int64_t id = 0;
  std::string title;
};
AORM_MODEL(Post, "post", id, title)
