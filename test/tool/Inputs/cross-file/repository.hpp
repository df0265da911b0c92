// What the handlers call; every body is in another file, except headline().
#pragma once

#include "models.hpp"

#include <functional>

namespace repo {
std::string title_of(std::int64_t id);              // blocks (repository.cpp)
aorm::Task<std::string> atitle_of(std::int64_t id); // its awaitable sibling
std::int64_t count_posts();                         // blocks two files down (service.cpp, stats.cpp)
int cheap(int x);                                   // does not block (util.cpp)
std::int64_t even(int n);                           // even and odd call each other; odd blocks
std::int64_t odd(int n);
std::int64_t ping(int n);                           // ping and pong call each other; neither blocks
std::int64_t pong(int n);
void warm_up();                                     // offloads its blocking work (util.cpp)
AORM_OFFLOADS void in_background(std::function<void()> job); // runs job on another thread
aorm::Task<std::int64_t> count_later();             // only runs sync_to_async (util.cpp)
template <class M> std::int64_t count_of();         // instantiated for Post in repository.cpp
extern template std::int64_t count_of<Post>();

struct Store {
  virtual ~Store() = default;
  virtual std::int64_t size() const = 0; // every override blocks
};
struct SqlStore : Store {
  std::int64_t size() const override;
};
struct Cache {
  virtual ~Cache() = default;
  virtual std::int64_t size() const = 0; // one override blocks, one does not
};
struct SqlCache : Cache {
  std::int64_t size() const override;
};
struct MemCache : Cache {
  std::int64_t size() const override;
};

// A user header's own helper: the chain runs through it.
inline std::string headline(std::int64_t id) { return "# " + title_of(id); }
} // namespace repo

namespace other {
std::string title_of(std::int64_t id); // same name, another namespace: does not block
}

namespace stats {
std::int64_t total();
}
