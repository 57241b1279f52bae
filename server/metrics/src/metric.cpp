#include "agdf/metrics/metric.hpp"

#include <algorithm>
#include <array>

namespace agdf::metrics {
namespace {

constexpr std::array kRunDurationBuckets{0.001, 0.005, 0.01, 0.05,  0.1,   0.5,    1.0,   5.0,
                                         10.0,  30.0,  60.0, 300.0, 900.0, 1800.0, 3600.0};
constexpr std::array kLatencyBuckets{0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                     0.05,   0.1,     0.25,   0.5,   1.0,    2.5,   5.0,  10.0};

}  // namespace

Histogram::Histogram(std::span<const double> bounds)
    : bounds_(bounds.begin(), bounds.end()),
      counts_(std::make_unique<std::atomic<std::uint64_t>[]>(bounds.size() + 1)) {}

void Histogram::observe(double value) noexcept {
  const auto bucket = static_cast<std::size_t>(
      std::lower_bound(bounds_.begin(), bounds_.end(), value) - bounds_.begin());
  counts_[bucket].fetch_add(1, std::memory_order_relaxed);
  sum_.fetch_add(value, std::memory_order_relaxed);
}

std::vector<std::uint64_t> Histogram::cumulative_counts() const {
  std::vector<std::uint64_t> out(bounds_.size() + 1);
  std::uint64_t running = 0;
  for (std::size_t i = 0; i < out.size(); ++i) {
    running += counts_[i].load(std::memory_order_relaxed);
    out[i] = running;
  }
  return out;
}

std::span<const double> run_duration_buckets() noexcept {
  return kRunDurationBuckets;
}

std::span<const double> latency_buckets() noexcept {
  return kLatencyBuckets;
}

}  // namespace agdf::metrics
