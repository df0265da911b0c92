#include "repository.hpp"

std::string repo::title_of(std::int64_t id) {
  return Post::objects.get(aorm::Q("id", id)).title;
}

aorm::Task<std::string> repo::atitle_of(std::int64_t id) {
  Post p = co_await Post::objects.aget(aorm::Q("id", id));
  co_return p.title;
}

std::int64_t repo::SqlStore::size() const { return Post::objects.count(); }
std::int64_t repo::SqlCache::size() const { return Post::objects.count(); }

std::int64_t repo::even(int n) { return n == 0 ? 0 : odd(n - 1); }
std::int64_t repo::odd(int n) { return n == 0 ? Post::objects.count() : even(n - 1); }

template <class M> std::int64_t repo::count_of() { return M::objects.count(); }
template std::int64_t repo::count_of<Post>();
