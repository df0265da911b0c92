// Runtime cost against the floor: get/aget by primary key and a 1000-row list/alist through aorm,
// next to the raw sqlite3 C API running the same statement prepared once (the floor), and the
// cost of one thread hop (co_await sync_to_async of an empty function).
//
//   aorm-bench-cost [--smoke] [--json FILE]
#include "bench_models.hpp"
#include "raw_sqlite.hpp"
#include "stats.hpp"

#include <cstdio>
#include <cstring>
#include <fstream>
#include <string>
#include <vector>

namespace bench {
namespace {

struct Config {
  int rounds = 15;
  int point_ops = 500; // get/aget per round
  int list_ops = 10;   // 1000-row lists per round
  int list_rows = 1000;
  std::string json;
};

struct Result {
  std::string name;
  double ns = 0;     // best round, per op
  double median = 0; // median round, per op
};

// Keeps the optimizer from discarding a result.
template <class T> void keep(const T &v) { asm volatile("" : : "g"(&v) : "memory"); }

std::int64_t pk_for(int i, int posts) { return 1 + (i * 7919) % posts; }

aorm::Task<void> aget_round(int ops, int posts) {
  for (int i = 0; i < ops; ++i) {
    Post p = co_await Post::objects.aget(aorm::Q("id", pk_for(i, posts)));
    keep(p);
  }
}

aorm::Task<void> alist_round(int ops) {
  for (int i = 0; i < ops; ++i) {
    std::vector<Post> rows = co_await Post::objects.alist();
    keep(rows);
  }
}

aorm::Task<void> hop_round(int ops) {
  for (int i = 0; i < ops; ++i) {
    int v = co_await aorm::sync_to_async([] { return 1; });
    keep(v);
  }
}

aorm::Task<void> raw_get_offloaded_round(RawSqlite &raw, int ops, int posts) {
  for (int i = 0; i < ops; ++i) {
    std::int64_t id = pk_for(i, posts);
    RawPost p = co_await aorm::sync_to_async([&raw, id] { return raw.get(id); });
    keep(p);
  }
}

std::vector<Result> measure(const Config &cfg) {
  Fixture db(cfg.list_rows);
  RawSqlite raw(db.file());
  const int posts = db.posts();
  // Warm the page cache and every connection (the loop thread's and the workers').
  for (int i = 0; i < posts; ++i)
    keep(raw.get(pk_for(i, posts)));
  keep(Post::objects.list());
  aorm::run(aget_round(200, posts));

  const int n = cfg.point_ops, l = cfg.list_ops;
  Interleaved bench;
  bench.add("raw_get", n, [&] {
    for (int i = 0; i < n; ++i)
      keep(raw.get(pk_for(i, posts)));
  });
  bench.add("get", n, [&] {
    for (int i = 0; i < n; ++i)
      keep(Post::objects.get(aorm::Q("id", pk_for(i, posts))));
  });
  bench.add("thread_hop", n, [&] { aorm::run(hop_round(n)); });
  bench.add("raw_get_offloaded", n, [&] { aorm::run(raw_get_offloaded_round(raw, n, posts)); });
  bench.add("aget", n, [&] { aorm::run(aget_round(n, posts)); });
  bench.add("raw_list_1000", l, [&] {
    for (int i = 0; i < l; ++i)
      keep(raw.list());
  });
  bench.add("list_1000", l, [&] {
    for (int i = 0; i < l; ++i)
      keep(Post::objects.list());
  });
  bench.add("alist_1000", l, [&] { aorm::run(alist_round(l)); });
  bench.run(cfg.rounds);

  std::vector<Result> out;
  for (auto &s : bench.summary()) {
    out.push_back({s.name, s.best, s.median});
    std::fprintf(stderr, "  %-20s best %10.0f ns  median %10.0f ns\n", s.name.c_str(), s.best,
                 s.median);
  }
  return out;
}

double ns_of(const std::vector<Result> &rs, const std::string &name) {
  for (auto &r : rs)
    if (r.name == name)
      return r.ns;
  return 0;
}

void report(const Config &cfg, const std::vector<Result> &rs) {
  double raw_get = ns_of(rs, "raw_get"), hop = ns_of(rs, "thread_hop");
  double raw_list = ns_of(rs, "raw_list_1000");
  double budget = 1.5 * raw_get + hop;
  double aget = ns_of(rs, "aget");
  struct Row {
    const char *what, *name;
    double floor;
  };
  const Row rows[] = {
      {"raw sqlite3 get by pk (floor)", "raw_get", raw_get},
      {"aorm get by pk", "get", raw_get},
      {"thread hop (sync_to_async no-op)", "thread_hop", 0},
      {"raw get via sync_to_async", "raw_get_offloaded", raw_get},
      {"aorm aget by pk", "aget", raw_get},
      {"raw sqlite3 1000-row list (floor)", "raw_list_1000", raw_list},
      {"aorm list(), 1000 rows", "list_1000", raw_list},
      {"aorm alist(), 1000 rows", "alist_1000", raw_list},
  };
  std::printf("Best of %d interleaved rounds (%d point ops, %d lists per round); median round "
              "in the last column.\n\n",
              cfg.rounds, cfg.point_ops, cfg.list_ops);
  std::printf("| operation | per op | x floor | median round |\n|---|---:|---:|---:|\n");
  for (auto &row : rows) {
    double ns = ns_of(rs, row.name);
    char ratio[32] = "-";
    if (row.floor > 0)
      std::snprintf(ratio, sizeof ratio, "%.2f", ns / row.floor);
    double med = 0;
    for (auto &r : rs)
      if (r.name == row.name)
        med = r.median;
    std::printf("| %s | %.1f us | %s | %.1f us |\n", row.what, ns / 1000, ratio, med / 1000);
  }
  std::printf("\naget budget = 1.5 x floor + one hop = %.1f us; aget = %.1f us -> %s\n",
              budget / 1000, aget / 1000, aget <= budget ? "within budget" : "OVER budget");

  if (cfg.json.empty())
    return;
  std::ofstream f(cfg.json);
  if (!f)
    throw std::runtime_error("cannot write --json file " + cfg.json);
  f << "{\"rounds\": " << cfg.rounds << ", \"point_ops\": " << cfg.point_ops
    << ", \"list_ops\": " << cfg.list_ops << ", \"aget_budget_ns\": " << budget
    << ", \"results_ns\": {";
  for (std::size_t i = 0; i < rs.size(); ++i)
    f << (i ? ", " : "") << "\"" << rs[i].name << "\": {\"best\": " << rs[i].ns
      << ", \"median\": " << rs[i].median << "}";
  f << "}}\n";
}

} // namespace
} // namespace bench

int main(int argc, char **argv) {
  bench::Config cfg;
  for (int i = 1; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--smoke")) {
      cfg.rounds = 3;
      cfg.point_ops = 100;
      cfg.list_ops = 3;
    } else if (!std::strcmp(argv[i], "--json") && i + 1 < argc) {
      cfg.json = argv[++i];
    } else {
      std::fprintf(stderr,
                   "aorm-bench-cost: unknown argument '%s'\nusage: %s [--smoke] [--json FILE]\n",
                   argv[i], argv[0]);
      return 2;
    }
  }
  try {
    bench::report(cfg, bench::measure(cfg));
  } catch (const std::exception &e) {
    std::fprintf(stderr, "aorm-bench-cost: %s\n", e.what());
    return 1;
  }
  return 0;
}
