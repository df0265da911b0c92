// Shared by the ORM suites: the blog models and a fixture that gives every test its own database,
// migrated and (optionally) seeded: a SQLite file in a temp directory, or, in a PostgreSQL run
// (test/support/test_database.hpp), an emptied PostgreSQL database.
#pragma once

#include "aorm/aorm.hpp"
#include "../support/blog_models.hpp"
#include "../support/test_database.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <unistd.h>
#include <vector>

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
    if (postgres()) {
      testdb::reset_postgres();
      aorm::setup(testdb::postgres_url());
    } else {
      aorm::setup(in_memory() ? std::string("sqlite::memory:") : "sqlite://" + path_);
    }
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
  // A suite about SQLite itself (files, WAL, raw sqlite3 access) stays on SQLite in every run;
  // such suites are named Sqlite* and left out of the PostgreSQL runs (test/runtime/CMakeLists).
  virtual bool sqlite_only() const { return false; }
  // This test runs on PostgreSQL (a PostgreSQL run, and not a SQLite-only suite).
  bool postgres() const { return testdb::on_postgres() && !sqlite_only(); }

  static std::uint64_t statements() { return aorm::db_stats().statements; }

  std::filesystem::path dir_;
  std::string path_;
  Author ann, bob;
  std::vector<Post> posts;
};

// The databases a parameterised suite runs on: a SQLite file and sqlite::memory: in a SQLite run,
// the PostgreSQL server in a PostgreSQL run.
enum class Db { File, Memory, Postgres };
inline std::vector<Db> databases() {
  if (testdb::on_postgres())
    return {Db::Postgres};
  return {Db::File, Db::Memory};
}
class BothDatabases : public OrmTest, public ::testing::WithParamInterface<Db> {
protected:
  bool in_memory() const override { return GetParam() == Db::Memory; }
};
inline std::string database_name(const ::testing::TestParamInfo<Db> &info) {
  return info.param == Db::File ? "File" : info.param == Db::Memory ? "Memory" : "Postgres";
}
#define INSTANTIATE_BOTH(Suite)                                                                    \
  INSTANTIATE_TEST_SUITE_P(Db, Suite, ::testing::ValuesIn(::ormtest::databases()),                 \
                           ::ormtest::database_name)

template <class T> std::vector<std::string> titles(const std::vector<T> &ps) {
  std::vector<std::string> out;
  for (auto &p : ps)
    out.push_back(p.title);
  return out;
}

} // namespace ormtest
