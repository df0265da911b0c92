#include "repository.hpp"

std::int64_t repo::count_posts() { return stats::total(); }
