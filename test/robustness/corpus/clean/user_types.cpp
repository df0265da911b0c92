// Near misses: user types and standard containers with methods named like aorm's terminals, called
// inside coroutines. None of them is declared blocking, so none is a finding.
#include "../models.hpp"

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

using aorm::Task;

struct Cache {
  std::map<std::string, int> data;
  int get(const std::string &k) const { return data.count(k) ? data.at(k) : 0; }
  std::size_t count() const { return data.size(); }
  std::optional<int> first() const {
    return data.empty() ? std::nullopt : std::optional<int>(data.begin()->second);
  }
  void save() {}
  bool exists() const { return !data.empty(); }
  std::vector<int> list() const { return {}; }
  void update(int) {}
  void delete_() { data.clear(); }
};

namespace mine {
// A user type that happens to be called QuerySet.
template <class T> struct QuerySet {
  std::vector<T> items;
  std::size_t count() const { return items.size(); }
  auto begin() const { return items.begin(); }
  auto end() const { return items.end(); }
};
} // namespace mine

Task<int> uses_cache(Cache cache) {
  int v = cache.get("a") + static_cast<int>(cache.count());
  if (cache.first() && cache.exists())
    cache.save();
  cache.update(v);
  cache.delete_();
  for (int x : cache.list())
    v += x;
  co_return v;
}

Task<std::size_t> uses_containers() {
  std::set<int> s{1, 2, 3};
  std::map<int, int> m{{1, 2}};
  std::optional<int> o = 3;
  mine::QuerySet<int> q{{1, 2}};
  std::size_t n = s.count(2) + m.count(1) + q.count();
  for (int x : q)
    n += static_cast<std::size_t>(x);
  co_return n + static_cast<std::size_t>(o.value());
}

// A model's non-query members are fine on the loop: ids, loaded foreign keys, annotations.
Task<std::int64_t> model_members() {
  Post p = co_await Post::objects.aget(aorm::Q("id", 1));
  std::int64_t author = p.author.id();
  bool loaded = p.author.is_loaded();
  co_return author + (loaded ? 1 : 0) + static_cast<std::int64_t>(p.annotations().size());
}
