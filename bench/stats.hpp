// Timing helpers for the runtime benchmarks: repeat a measured block and keep the median, and
// percentiles of a sample.
#pragma once

#include <algorithm>
#include <chrono>
#include <cstddef>
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

// Runs `round` (which performs `ops` operations) `rounds` times and returns the median nanoseconds
// per operation: the median shrugs off the rounds another engineer's build slowed down.
template <class Round> double median_ns_per_op(int rounds, int ops, Round round) {
  std::vector<double> per_op;
  for (int r = 0; r < rounds; ++r) {
    auto start = Clock::now();
    round();
    std::chrono::duration<double, std::nano> took = Clock::now() - start;
    per_op.push_back(took.count() / ops);
  }
  return percentile(per_op, 50);
}

} // namespace bench
