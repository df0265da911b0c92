// Compiled by the compile-fail tests, never built into a target. AORM_CASE selects what is
// awaited: 0 = a terminal (must compile), 1 = a QuerySet, 2 = a Manager (both must not).
#include <aorm/aorm.hpp>

struct Author : aorm::Model<Author> {
  std::int64_t id = 0;
  std::string name;
};
AORM_MODEL(Author, "author", id, name)

aorm::Task<int> use() {
#if AORM_CASE == 0
  auto authors = co_await Author::objects.filter(aorm::Q("name", "Ann")).alist();
  co_return static_cast<int>(authors.size());
#elif AORM_CASE == 1
  auto authors = co_await Author::objects.filter(aorm::Q("name", "Ann"));
  (void)authors;
  co_return 0;
#else
  co_await Author::objects;
  co_return 0;
#endif
}
