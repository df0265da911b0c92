#include "repository.hpp"

#include <thread>

int repo::cheap(int x) { return x * 2; }
std::string other::title_of(std::int64_t id) { return "post " + std::to_string(id); }
std::int64_t repo::ping(int n) { return n <= 0 ? 0 : pong(n - 1); }
std::int64_t repo::pong(int n) { return n <= 0 ? 1 : ping(n - 1); }
std::int64_t repo::MemCache::size() const { return 0; }

void repo::warm_up() {
  std::thread([] { (void)Post::objects.count(); }).detach();
}

void repo::in_background(std::function<void()> job) { std::thread(std::move(job)).detach(); }

aorm::Task<std::int64_t> repo::count_later() {
  return aorm::sync_to_async([] { return Post::objects.count(); });
}
