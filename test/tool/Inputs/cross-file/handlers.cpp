// The coroutines; what they call is defined in the other files.
#include "repository.hpp"

using aorm::Task;

Task<std::string> show(std::int64_t id) { co_return repo::title_of(id); }
Task<std::int64_t> total() { co_return repo::count_posts(); }
Task<std::string> banner(std::int64_t id) { co_return repo::headline(id); }
Task<std::int64_t> parity() { co_return repo::even(3); }
Task<std::int64_t> stored(const repo::Store &s) { co_return s.size(); }

// Near misses: none of these blocks the loop.
Task<int> fine() { co_return repo::cheap(1); }
Task<std::string> elsewhere(std::int64_t id) { co_return other::title_of(id); }
Task<std::int64_t> bounce() { co_return repo::ping(3); }
Task<std::int64_t> cached(const repo::Cache &c) { co_return c.size(); }
Task<void> warm() {
  repo::warm_up();
  co_return;
}
std::string plain(std::int64_t id) { return repo::title_of(id); }
Task<std::int64_t> quiet() { co_return repo::count_posts(); } // NOLINT
