#pragma once
/// The three kinds of Prometheus metric, each one relaxed atomic operation per update so
/// they can sit on busy paths: a counter only goes up, a gauge goes both ways, a
/// histogram counts observations into fixed buckets.

#include <atomic>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

namespace agdf::metrics {

/// A count that only increases (Prometheus `counter`; its name ends in `_total`).
class Counter {
 public:
  void inc(std::uint64_t n = 1) noexcept { value_.fetch_add(n, std::memory_order_relaxed); }
  std::uint64_t value() const noexcept { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<std::uint64_t> value_{0};
};

/// A value that goes up and down (Prometheus `gauge`).
class Gauge {
 public:
  void add(std::int64_t n) noexcept { value_.fetch_add(n, std::memory_order_relaxed); }
  void set(std::int64_t n) noexcept { value_.store(n, std::memory_order_relaxed); }
  std::int64_t value() const noexcept { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<std::int64_t> value_{0};
};

/// Observations counted into buckets with fixed upper bounds (Prometheus `histogram`).
class Histogram {
 public:
  /// `bounds` ascending; the +Inf bucket is implicit.
  explicit Histogram(std::span<const double> bounds);

  void observe(double value) noexcept;

  std::span<const double> bounds() const noexcept { return bounds_; }
  /// Observations <= bounds()[i] (cumulative, as exposed); the last entry is +Inf.
  std::vector<std::uint64_t> cumulative_counts() const;
  double sum() const noexcept { return sum_.load(std::memory_order_relaxed); }

 private:
  std::vector<double> bounds_;
  std::unique_ptr<std::atomic<std::uint64_t>[]> counts_;  ///< per bucket, +Inf last
  std::atomic<double> sum_{0};
};

/// Seconds from 1 ms to 1 h, for run durations.
std::span<const double> run_duration_buckets() noexcept;
/// Seconds from 100 us to 10 s, for request latencies.
std::span<const double> latency_buckets() noexcept;

}  // namespace agdf::metrics
