// Shared by the ORM suites: the blog models and a fixture that gives every test its own SQLite
// file in a temp directory, migrated and (optionally) seeded.
#pragma once

#include "aorm/aorm.hpp"
#include "../support/blog_models.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <unistd.h>

namespace ormtest {

using ::Author;
using ::Post;

inline aorm::DateTime day(int d) {
  using namespace std::chrono;
  return sys_days(year(2024) / March / d) + hours(12);
}

inline Post make_post(std::string title, std::int64_t views, double rating, bool published,
                      int created_day, const Author &author) {
  Post p;
  p.title = std::move(title);
  p.views = views;
  p.rating = rating;
  p.published = published;
  p.created = day(created_day);
  p.author = author;
  return p;
}

// A fresh database file per test. Seeded: authors Ann (with email) and Bob (without); posts
//   "Alpha"  10 views 4.0 published day 1 Ann
//   "beta"   20 views 3.0 draft     day 2 Ann   body "b"
//   "Gamma"  30 views 5.0 published day 3 Bob
//   "delta"  40 views 2.0 draft     day 4 Bob
//   "Alpha2" 50 views 4.5 published day 5 Ann
class OrmTest : public ::testing::Test {
protected:
  void SetUp() override {
    auto *info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ =
        std::filesystem::temp_directory_path() / ("aorm-orm-" + std::to_string(::getpid()) + "-" +
                                                  info->test_suite_name() + "-" + info->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    path_ = (dir_ / "test.db").string();
    aorm::setup(in_memory() ? std::string("sqlite::memory:") : "sqlite://" + path_);
    aorm::migrate<Author, Post>();
    if (seeded()) {
      ann = Author::objects.create(Author{{}, 0, "Ann", "ann@example.org"});
      bob = Author::objects.create(Author{{}, 0, "Bob", std::nullopt});
      auto beta = make_post("beta", 20, 3.0, false, 2, ann);
      beta.body = "b";
      posts = Post::objects.bulk_create({make_post("Alpha", 10, 4.0, true, 1, ann), beta,
                                         make_post("Gamma", 30, 5.0, true, 3, bob),
                                         make_post("delta", 40, 2.0, false, 4, bob),
                                         make_post("Alpha2", 50, 4.5, true, 5, ann)});
    }
    aorm::reset_db_stats();
  }
  void TearDown() override {
    aorm::close();
    std::filesystem::remove_all(dir_);
  }
  virtual bool seeded() const { return true; }
  virtual bool in_memory() const { return false; }

  static std::uint64_t statements() { return aorm::db_stats().statements; }

  std::filesystem::path dir_;
  std::string path_;
  Author ann, bob;
  std::vector<Post> posts;
};

// A suite that runs every test on a SQLite file and on sqlite::memory: (INSTANTIATE_BOTH).
class BothDatabases : public OrmTest, public ::testing::WithParamInterface<bool> {
protected:
  bool in_memory() const override { return GetParam(); }
};
inline std::string database_name(const ::testing::TestParamInfo<bool> &info) {
  return info.param ? "Memory" : "File";
}
#define INSTANTIATE_BOTH(Suite)                                                                    \
  INSTANTIATE_TEST_SUITE_P(Sqlite, Suite, ::testing::Values(false, true), ::ormtest::database_name)

template <class T> std::vector<std::string> titles(const std::vector<T> &ps) {
  std::vector<std::string> out;
  for (auto &p : ps)
    out.push_back(p.title);
  return out;
}

} // namespace ormtest
