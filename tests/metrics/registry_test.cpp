#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

#include "agdf/metrics/daemon_metrics.hpp"
#include "agdf/metrics/registry.hpp"
#include "agdf/metrics/worker_metrics.hpp"

namespace agdf::metrics {
namespace {

TEST(MetricsRegistry, RendersACounterWithHelpTypeAndValue) {
  Registry registry;
  registry.counter("agdf_things_total", "Things done.").inc(3);
  EXPECT_EQ(registry.render(),
            "# HELP agdf_things_total Things done.\n"
            "# TYPE agdf_things_total counter\n"
            "agdf_things_total 3\n");
}

TEST(MetricsRegistry, RendersLabelledSeriesSortedAndEscaped) {
  Registry registry;
  auto& family = registry.counter_family("agdf_x_total", "Help with \\ and\nnewline.", {"a", "b"});
  family.with({"z", "1"}).inc();
  family.with({"q\"uote", "back\\slash\nline"}).inc(2);
  EXPECT_EQ(registry.render(),
            "# HELP agdf_x_total Help with \\\\ and\\nnewline.\n"
            "# TYPE agdf_x_total counter\n"
            "agdf_x_total{a=\"q\\\"uote\",b=\"back\\\\slash\\nline\"} 2\n"
            "agdf_x_total{a=\"z\",b=\"1\"} 1\n");
}

TEST(MetricsRegistry, GaugesGoBothWays) {
  Registry registry;
  Gauge& gauge = registry.gauge("agdf_level", "A level.");
  gauge.add(5);
  gauge.add(-7);
  EXPECT_NE(registry.render().find("agdf_level -2\n"), std::string::npos);
}

TEST(MetricsRegistry, HistogramsHaveCumulativeBucketsSumAndCount) {
  Registry registry;
  const double bounds[] = {0.0005, 0.1, 1};
  auto& histogram =
      registry.histogram_family("agdf_took_seconds", "How long.", {"state"}, bounds).with({"ok"});
  // Binary fractions, so the sum is exact.
  histogram.observe(0.000244140625);
  histogram.observe(0.0625);
  histogram.observe(0.5);
  histogram.observe(8);
  EXPECT_EQ(registry.render(),
            "# HELP agdf_took_seconds How long.\n"
            "# TYPE agdf_took_seconds histogram\n"
            "agdf_took_seconds_bucket{state=\"ok\",le=\"0.0005\"} 1\n"
            "agdf_took_seconds_bucket{state=\"ok\",le=\"0.1\"} 2\n"
            "agdf_took_seconds_bucket{state=\"ok\",le=\"1\"} 3\n"
            "agdf_took_seconds_bucket{state=\"ok\",le=\"+Inf\"} 4\n"
            "agdf_took_seconds_sum{state=\"ok\"} 8.562744140625\n"
            "agdf_took_seconds_count{state=\"ok\"} 4\n");
}

TEST(MetricsRegistry, AnObservationOnABoundCountsInThatBucket) {
  Histogram histogram(std::vector<double>{1, 2});
  histogram.observe(1);
  histogram.observe(2);
  EXPECT_EQ(histogram.cumulative_counts(), (std::vector<std::uint64_t>{1, 2, 2}));
}

TEST(MetricsRegistry, CallbackAndInfoGaugesAreReadWhenRendered) {
  Registry registry;
  int level = 1;
  registry.info("agdf_build_info", "Build.", {{"version", "1.2.3"}});
  registry.callback_gauge("agdf_now", "Read at scrape time.", [&level] { return level; });
  level = 42;
  EXPECT_EQ(registry.render(),
            "# HELP agdf_build_info Build.\n# TYPE agdf_build_info gauge\n"
            "agdf_build_info{version=\"1.2.3\"} 1\n"
            "# HELP agdf_now Read at scrape time.\n# TYPE agdf_now gauge\nagdf_now 42\n");
}

TEST(MetricsRegistry, ExtraLabelSetsBeyondTheLimitFoldIntoOneOtherSeries) {
  Registry registry;
  auto& family = registry.counter_family("agdf_f_total", "F.", {"function"}, /*max_series=*/3);
  for (int i = 0; i < 10; ++i) family.with({"fn" + std::to_string(i)}).inc();
  const std::string text = registry.render();
  EXPECT_NE(text.find("agdf_f_total{function=\"fn0\"} 1\n"), std::string::npos);
  EXPECT_NE(text.find("agdf_f_total{function=\"fn1\"} 1\n"), std::string::npos);
  EXPECT_EQ(text.find("fn2"), std::string::npos);
  EXPECT_NE(text.find("agdf_f_total{function=\"_other\"} 8\n"), std::string::npos);
}

TEST(MetricsRegistry, ANameRegisteredTwiceIsRefused) {
  Registry registry;
  registry.counter("agdf_a_total", "A.");
  EXPECT_THROW(registry.counter("agdf_a_total", "A again."), std::invalid_argument);
}

TEST(MetricsRegistry, CountersAddUpAcrossThreads) {
  Registry registry;
  Counter& counter = registry.counter("agdf_n_total", "N.");
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&counter] {
      for (int i = 0; i < 100000; ++i) counter.inc();
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(counter.value(), 400000u);
}

TEST(DaemonMetrics, EveryFamilyFollowsThePrometheusNamingRules) {
  Registry registry;
  DaemonMetrics metrics(registry);
  const std::string text = registry.render();
  std::size_t families = 0;
  for (std::size_t at = text.find("# TYPE "); at != std::string::npos;
       at = text.find("# TYPE ", at + 1)) {
    const auto end = text.find('\n', at);
    const std::string line = text.substr(at + 7, end - at - 7);
    const std::string name = line.substr(0, line.find(' '));
    const std::string type = line.substr(line.find(' ') + 1);
    EXPECT_TRUE(name.starts_with("agdf_")) << name;
    EXPECT_EQ(type == "counter", name.ends_with("_total")) << name;
    if (name.find("duration") != std::string::npos) {
      EXPECT_TRUE(name.ends_with("_seconds")) << name;
    }
    ++families;
  }
  EXPECT_GE(families, 15u);
}

}  // namespace
}  // namespace agdf::metrics

namespace agdf::metrics {
namespace {

TEST(WorkerMetrics, CountWorkersAndCallsInFlightPerFunction) {
  Registry registry;
  DaemonMetrics metrics(registry);
  WorkerMetrics workers(metrics);
  workers.worker_connected();
  workers.worker_connected();
  workers.worker_disconnected();
  workers.calls_in_flight("py.enrich", +2);
  EXPECT_EQ(metrics.worker_calls_in_flight.with({"py.enrich"}).value(), 2);
  workers.calls_in_flight("py.enrich", -1);
  EXPECT_EQ(metrics.worker_calls_in_flight.with({"py.enrich"}).value(), 1);
  workers.calls_in_flight("py.enrich", -1);
  EXPECT_EQ(metrics.worker_calls_in_flight.with({"py.enrich"}).value(), 0);
  const std::string text = registry.render();
  EXPECT_NE(text.find("agdf_workers_connected 1\n"), std::string::npos);
  EXPECT_NE(text.find("agdf_worker_calls_in_flight{function=\"py.enrich\"} 0\n"),
            std::string::npos);
}

}  // namespace
}  // namespace agdf::metrics
