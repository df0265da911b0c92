// Loop stall: a heartbeat coroutine asks to wake every 1 ms while concurrent clients run ORM
// queries on the same loop, once through a-methods (the loop stays free) and once through the sync
// terminals called inside the coroutines (guard off: AORM_ALLOW_ASYNC_UNSAFE=1), which run the
// query on the loop thread and hold every other coroutine up meanwhile. The tick delay -- how late
// each heartbeat woke -- is what a server's other connections feel.
//
//   aorm-bench-stall [--smoke] [--json FILE]
#include "bench_models.hpp"
#include "stats.hpp"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>
#include <vector>

namespace bench {
namespace {

using namespace std::chrono_literals;

struct Config {
  int clients = 10;
  int queries_per_client = 100; // 1000 queries in all
  int repeats = 3;              // runs per mode, alternating, pooled for the percentiles
  std::string json;
};

struct Series {
  std::string mode;
  std::vector<double> t_ms;     // when the tick woke, since the start of the run
  std::vector<double> delay_ms; // how late it woke
  double total_ms = 0;
};

// Every run of one mode: the first is plotted, all of them feed the percentiles.
struct ModeResult {
  std::string mode;
  std::vector<Series> runs;
  std::vector<double> delays() const {
    std::vector<double> all;
    for (auto &r : runs)
      all.insert(all.end(), r.delay_ms.begin(), r.delay_ms.end());
    return all;
  }
  double mean_total_ms() const {
    double t = 0;
    for (auto &r : runs)
      t += r.total_ms;
    return runs.empty() ? 0 : t / static_cast<double>(runs.size());
  }
};

double ms_since(Clock::time_point t0, Clock::time_point t) {
  return std::chrono::duration<double, std::milli>(t - t0).count();
}

aorm::Task<void> heartbeat(const bool &stop, Series &s, Clock::time_point t0) {
  while (!stop) {
    auto asked = Clock::now();
    co_await aorm::sleep_for(1ms);
    auto woke = Clock::now();
    s.t_ms.push_back(ms_since(t0, woke));
    s.delay_ms.push_back(ms_since(asked, woke) - 1.0);
  }
}

// A typical page query over the 1000-post table: filter, order, first 20 rows.
aorm::QuerySet<Post> page(int client, int i) {
  return Post::objects.filter(aorm::Q("views__gte", (client * 37 + i * 11) % 900))
      .order_by("-rating")[aorm::slice(0, 20)];
}

aorm::Task<void> client(int id, int queries, bool use_async, std::size_t &rows) {
  for (int i = 0; i < queries; ++i) {
    auto qs = page(id, i);
    std::vector<Post> got = use_async ? co_await qs.alist() : qs.list();
    rows += got.size();
    co_await aorm::sleep_for(0ms); // hand the loop on between requests, as a server would
  }
}

aorm::Task<void> clients(const Config &cfg, bool use_async, bool &stop, std::size_t &rows) {
  std::vector<aorm::Task<void>> all;
  for (int c = 0; c < cfg.clients; ++c)
    all.push_back(client(c, cfg.queries_per_client, use_async, rows));
  co_await aorm::gather(std::move(all));
  stop = true;
}

aorm::Task<void> scenario(const Config &cfg, bool use_async, Series &s) {
  bool stop = false;
  std::size_t rows = 0;
  auto t0 = Clock::now();
  co_await aorm::gather(heartbeat(stop, s, t0), clients(cfg, use_async, stop, rows));
  s.total_ms = ms_since(t0, Clock::now());
  if (rows == 0)
    throw aorm::Error("the clients fetched no rows; the fixture is empty");
}

Series run_mode(const Config &cfg, bool use_async) {
  Series s;
  s.mode = use_async ? "a-methods (co_await qs.alist())" : "sync terminals in coroutines";
  if (!use_async)
    setenv("AORM_ALLOW_ASYNC_UNSAFE", "1", 1);
  aorm::run(scenario(cfg, use_async, s));
  unsetenv("AORM_ALLOW_ASYNC_UNSAFE");
  return s;
}

void write_json(const std::string &path, const Config &cfg, const std::vector<ModeResult> &modes) {
  std::ofstream f(path);
  if (!f)
    throw std::runtime_error("cannot write --json file " + path);
  f << "{\"clients\": " << cfg.clients << ", \"queries\": " << cfg.clients * cfg.queries_per_client
    << ", \"series\": [";
  for (std::size_t k = 0; k < modes.size(); ++k) {
    const Series &s = modes[k].runs.front();
    auto d = modes[k].delays();
    f << (k ? ", " : "") << "{\"mode\": \"" << modes[k].mode << "\", \"runs\": "
      << modes[k].runs.size() << ", \"total_ms\": " << modes[k].mean_total_ms()
      << ", \"p50\": " << percentile(d, 50) << ", \"p99\": " << percentile(d, 99)
      << ", \"max\": " << percentile(d, 100) << ", \"t_ms\": [";
    for (std::size_t i = 0; i < s.t_ms.size(); ++i)
      f << (i ? "," : "") << s.t_ms[i];
    f << "], \"delay_ms\": [";
    for (std::size_t i = 0; i < s.delay_ms.size(); ++i)
      f << (i ? "," : "") << s.delay_ms[i];
    f << "]}";
  }
  f << "]}\n";
}

} // namespace
} // namespace bench

int main(int argc, char **argv) {
  bench::Config cfg;
  for (int i = 1; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--smoke")) {
      cfg.queries_per_client = 10;
      cfg.repeats = 1;
    } else if (!std::strcmp(argv[i], "--json") && i + 1 < argc) {
      cfg.json = argv[++i];
    } else {
      std::fprintf(stderr,
                   "aorm-bench-stall: unknown argument '%s'\nusage: %s [--smoke] [--json FILE]\n",
                   argv[i], argv[0]);
      return 2;
    }
  }
  try {
    bench::Fixture db(1000);
    std::vector<bench::ModeResult> modes(2);
    for (int r = 0; r < cfg.repeats; ++r)
      for (int m = 0; m < 2; ++m) {
        modes[m].runs.push_back(bench::run_mode(cfg, m == 0));
        modes[m].mode = modes[m].runs.back().mode;
      }
    std::printf("%d clients x %d queries on one loop, %d runs per mode (alternating, pooled); "
                "the heartbeat asks for a 1 ms sleep\n\n",
                cfg.clients, cfg.queries_per_client, cfg.repeats);
    std::printf("| mode | ticks | tick delay p50 | p99 | max | wall time per run |\n"
                "|---|---:|---:|---:|---:|---:|\n");
    for (auto &m : modes) {
      auto d = m.delays();
      std::printf("| %s | %zu | %.2f ms | %.2f ms | %.2f ms | %.0f ms |\n", m.mode.c_str(),
                  d.size(), bench::percentile(d, 50), bench::percentile(d, 99),
                  bench::percentile(d, 100), m.mean_total_ms());
    }
    if (!cfg.json.empty())
      bench::write_json(cfg.json, cfg, modes);
  } catch (const std::exception &e) {
    std::fprintf(stderr, "aorm-bench-stall: %s\n", e.what());
    return 1;
  }
  return 0;
}
