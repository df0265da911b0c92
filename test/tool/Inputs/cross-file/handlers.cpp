// The coroutines; what they call is defined in the other files.
#include "repository.hpp"

using aorm::Task;

Task<std::string> show(std::int64_t id) { co_return repo::title_of(id); }
Task<std::int64_t> total() { co_return repo::count_posts(); }
Task<std::string> banner(std::int64_t id) { co_return repo::headline(id); }
Task<std::int64_t> parity() { co_return repo::even(3); }
Task<std::int64_t> stored(const repo::Store &s) { co_return s.size(); }
Task<std::int64_t> counted() { co_return repo::count_of<Post>(); }

// Near misses: none of these blocks the loop.
Task<int> fine() { co_return repo::cheap(1); }
Task<std::string> elsewhere(std::int64_t id) { co_return other::title_of(id); }
Task<std::int64_t> bounce() { co_return repo::ping(3); }
Task<std::int64_t> cached(const repo::Cache &c) { co_return c.size(); }
Task<void> warm() {
  repo::warm_up();
  co_return;
}
Task<void> spawned() {
  repo::in_background([] { (void)repo::count_posts(); });
  co_return;
}
Task<std::int64_t> later() { co_return co_await repo::count_later(); }
std::string plain(std::int64_t id) { return repo::title_of(id); }
Task<std::int64_t> quiet() { co_return repo::count_posts(); } // NOLINT
