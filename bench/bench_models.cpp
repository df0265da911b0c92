#include "bench_models.hpp"

#include <cstdlib>
#include <stdexcept>
#include <unistd.h>
#include <vector>

namespace bench {

Fixture::Fixture(int posts) : posts_(posts) {
  const char *tmp = std::getenv("TMPDIR");
  std::string pattern = std::string(tmp && *tmp ? tmp : "/tmp") + "/aorm-bench-XXXXXX";
  if (!mkdtemp(pattern.data()))
    throw std::runtime_error("cannot create a scratch directory from " + pattern);
  dir_ = pattern;
  file_ = dir_ / "bench.db";
  aorm::setup("sqlite://" + file_.string());
  aorm::migrate<Author, Post>();

  std::vector<Author> authors(10);
  for (std::size_t i = 0; i < authors.size(); ++i)
    authors[i].name = "author " + std::to_string(i);
  authors = Author::objects.bulk_create(authors);

  std::vector<Post> rows(static_cast<std::size_t>(posts));
  for (std::size_t i = 0; i < rows.size(); ++i) {
    Post &p = rows[i];
    p.title = "post number " + std::to_string(i);
    p.published = i % 2 == 0;
    p.created = aorm::DateTime(std::chrono::microseconds(1'700'000'000'000'000LL + i));
    p.views = static_cast<std::int64_t>(i * 7 % 1000);
    p.rating = static_cast<double>(i % 50) / 10.0;
    p.author = authors[i % authors.size()].id;
    if (i % 3 == 0)
      p.body = "body of post " + std::to_string(i);
  }
  Post::objects.bulk_create(rows);
}

Fixture::~Fixture() {
  aorm::close();
  std::error_code ec;
  std::filesystem::remove_all(dir_, ec);
}

} // namespace bench
