// aorm quickstart: a blog with authors and posts in an SQLite file, queried both ways --
// blocking calls from plain code, awaitable a-methods from coroutines driven by aorm::run.
//
//   aorm-quickstart [path/to/app.db]
#include <aorm/aorm.hpp>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>

struct Author : aorm::Model<Author> {
  std::int64_t id = 0;
  std::string name;
  std::optional<std::string> email;
};
AORM_MODEL(Author, "author", id, name, email)

struct Post : aorm::Model<Post> {
  std::int64_t id = 0;
  std::string title;
  bool published = false;
  aorm::DateTime created{};
  std::int64_t views = 0;
  double rating = 0;
  aorm::ForeignKey<Author> author;
  std::optional<std::string> body;
};
AORM_MODEL(Post, "post", id, title, published, created, views, rating, author, body)

using aorm::F;
using aorm::Q;

namespace {

aorm::DateTime day(int d) {
  using namespace std::chrono;
  return sys_days(year(2024) / January / d) + hours(9);
}

void seed() {
  auto ann = Author::objects.create(Author{{}, 0, "Ann", "ann@example.org"});
  auto bob = Author::objects.create(Author{{}, 0, "Bob", std::nullopt});
  std::vector<Post> posts;
  const char *titles[] = {"Coroutines in C++20", "Lazy querysets", "SQLite in WAL mode",
                          "Awaiting the database", "Django's ORM, in C++"};
  for (int i = 0; i < 5; ++i) {
    Post p;
    p.title = titles[i];
    p.published = i % 2 == 0;
    p.created = day(i + 1);
    p.views = 10 * (i + 1);
    p.rating = 3.0 + 0.5 * i;
    p.author = i < 3 ? ann : bob;
    posts.push_back(p);
  }
  auto saved = Post::objects.bulk_create(posts);
  std::cout << "sync:  created 2 authors and " << saved.size() << " posts\n";
}

void sync_queries() {
  auto published = Post::objects.filter(Q("published", true)).order_by("-views");
  std::cout << "sync:  " << published.count() << " published posts, most viewed first:\n";
  for (auto &p : published.select_related("author"))
    std::cout << "         " << p.title << " by " << p.author.get().name << " (" << p.views
              << " views, " << aorm::to_string(p.created) << ")\n";
  auto n =
      Post::objects.filter(aorm::field(&Post::author) == Author::objects.get(Q("name", "Ann")).id)
          .update({{"views", F("views") + 1}});
  std::cout << "sync:  gave Ann's " << n << " posts one more view\n";
  auto stats = Post::objects.aggregate(aorm::Avg("rating"), aorm::Sum("views"));
  std::cout << "sync:  rating__avg=" << stats["rating__avg"].as_double()
            << " views__sum=" << stats["views__sum"].as_int() << "\n";
}

aorm::Task<void> async_queries() {
  // Each Task (and each argument object) is a named local before it is awaited: g++-12 miscompiles
  // temporaries with destructors inside a co_await expression. clang++ needs no such care.
  auto count_all = Post::objects.acount();
  auto count = co_await std::move(count_all);
  std::cout << "async: acount() = " << count << "\n";

  auto find_latest = Post::objects.alatest("created");
  Post latest = co_await std::move(find_latest);
  std::cout << "async: alatest(\"created\") = " << latest.title << "\n";

  auto load_author = latest.author.aget();
  Author author = co_await std::move(load_author);
  std::cout << "async: its author, via ForeignKey::aget() = " << author.name << "\n";

  auto count_cpp = Post::objects.filter(Q("title__icontains", "c++")).acount();
  auto least_viewed = Post::objects.order_by("views").afirst();
  auto both = aorm::gather(std::move(count_cpp), std::move(least_viewed));
  auto [mentions, first] = co_await std::move(both);
  std::cout << "async: gather -> " << mentions
            << " posts mention C++; fewest views: " << (first ? first->title : "-") << "\n";

  Post defaults;
  defaults.published = true;
  defaults.created = day(28);
  defaults.rating = 5.0;
  defaults.author = author;
  auto get_or_create = Post::objects.aget_or_create(Q("title", "Hello from a coroutine"), defaults);
  auto [post, created] = co_await std::move(get_or_create);
  std::cout << "async: aget_or_create -> id " << post.id << (created ? " (created)" : " (found)")
            << "\n";

  auto it = Post::objects.order_by("id").values_list("id", "title").aiterator(2);
  int rows = 0;
  while (auto row = co_await it.next())
    ++rows;
  std::cout << "async: aiterator(2) streamed " << rows << " rows in " << it.chunks_fetched()
            << " chunks\n";

  auto remove_unread = Post::objects.filter(Q("views__lt", 20)).adelete();
  auto removed = co_await std::move(remove_unread);
  std::cout << "async: adelete() removed " << removed.total << " post(s)\n";
}

} // namespace

int main(int argc, char **argv) {
  std::string path = argc > 1 ? argv[1] : AORM_QUICKSTART_DEFAULT_DB;
  try {
    for (const char *suffix : {"", "-wal", "-shm"})
      std::filesystem::remove(path + suffix);
    aorm::setup("sqlite://" + std::filesystem::absolute(path).string());
    aorm::migrate<Author, Post>();
    std::cout << "database: " << path << "\n";
    seed();
    sync_queries();
    aorm::run(async_queries());
    std::cout << "done: " << aorm::db_stats().statements << " SQL statements\n";
  } catch (const aorm::Error &e) {
    std::cerr << "aorm-quickstart: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
