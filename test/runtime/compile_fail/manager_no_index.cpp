// Compiled by the compile-fail tests, never built into a target. The Manager Post::objects is
// shared and keeps no result cache, so it has no [i], range-for or size(); it converts to an
// ordinary QuerySet. AORM_CASE: 0 = the allowed forms (must compile), 1 = objects[0],
// 2 = range-for over objects, 3 = objects.size() (must not compile).
#include <aorm/aorm.hpp>

struct Author : aorm::Model<Author> {
  std::int64_t id = 0;
  std::string name;
};
AORM_MODEL(Author, "author", id, name)

int use() {
#if AORM_CASE == 0
  aorm::QuerySet<Author> qs = Author::objects;
  aorm::QuerySet<Author> first_two = Author::objects[aorm::slice(0, 2)];
  const aorm::QuerySet<Author> &ref = Author::objects;
  return static_cast<int>(qs.state().where.size() + first_two.state().where.size() +
                          ref.state().where.size());
#elif AORM_CASE == 1
  return static_cast<int>(Author::objects[0].id);
#elif AORM_CASE == 2
  int n = 0;
  for (const Author &a : Author::objects)
    n += static_cast<int>(a.id);
  return n;
#else
  return static_cast<int>(Author::objects.size());
#endif
}
