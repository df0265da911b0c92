#include "repository.hpp"

std::int64_t stats::total() { return Post::objects.count(); }
