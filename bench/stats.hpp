// Timing helpers for the runtime benchmarks: repeat a measured block and keep the median, and
// percentiles of a sample.
#pragma once

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <functional>
#include <string>
#include <vector>

namespace bench {

using Clock = std::chrono::steady_clock;

// Percentile p (0..100) by nearest rank; 0 for an empty sample.
inline double percentile(std::vector<double> xs, double p) {
  if (xs.empty())
    return 0;
  std::sort(xs.begin(), xs.end());
  auto rank = static_cast<std::size_t>(p / 100.0 * static_cast<double>(xs.size() - 1) + 0.5);
  return xs[std::min(rank, xs.size() - 1)];
}

// Timed operations measured in interleaved rounds: round r runs every operation once before round
// r + 1 starts, so a burst of load from another process hits all of them alike. The estimate is the
// fastest round per operation (best of N), the least disturbed by other work on a shared machine.
class Interleaved {
public:
  // `round` performs `ops` operations.
  void add(std::string name, int ops, std::function<void()> round) {
    items_.push_back({std::move(name), ops, std::move(round), {}});
  }
  void run(int rounds) {
    for (int r = 0; r < rounds; ++r)
      for (auto &it : items_) {
        auto start = Clock::now();
        it.round();
        std::chrono::duration<double, std::nano> took = Clock::now() - start;
        it.per_op.push_back(took.count() / it.ops);
      }
  }
  // (name, best ns per op, median ns per op) in the order added.
  struct Summary {
    std::string name;
    double best, median;
  };
  std::vector<Summary> summary() const {
    std::vector<Summary> out;
    for (auto &it : items_)
      out.push_back({it.name, percentile(it.per_op, 0), percentile(it.per_op, 50)});
    return out;
  }

private:
  struct Item {
    std::string name;
    int ops;
    std::function<void()> round;
    std::vector<double> per_op;
  };
  std::vector<Item> items_;
};

} // namespace bench
