// Configs at the edges of their numbers and formats: bounds named in messages, arithmetic
// that cannot overflow, placeholders and conditions that mean something.
#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/thread_pool.hpp>

#include <limits>

#include "agdf/engine/engine.hpp"
#include "agdf/nodes/condition.hpp"
#include "agdf/nodes/config_reader.hpp"
#include "nodes/node_run.hpp"

namespace agdf::test {
namespace {

using Items = std::vector<Item>;
using Problems = std::vector<std::string>;
constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();
constexpr std::int64_t kMin = std::numeric_limits<std::int64_t>::min();

Json range_config(std::int64_t start, std::int64_t stop, std::int64_t step) {
  return Json{{"start", start}, {"stop", stop}, {"step", step}};
}

TEST(RangeAtTheLimits, NearTheTopYieldsExactlyWhatPythonWould) {
  // start + step overflows int64: the old loop wrapped and ran for a billion items.
  EXPECT_EQ(start("range", range_config(kMax - 1, kMax, 1 << 30)).yields, (Items{kMax - 1}));
  EXPECT_EQ(start("range", range_config(kMax - 10, kMax, 4)).yields,
            (Items{kMax - 10, kMax - 6, kMax - 2}));
  EXPECT_EQ(start("range", range_config(0, kMax, kMax)).yields, (Items{0}));
  EXPECT_EQ(start("range", range_config(kMax - 2, kMax, kMax)).yields, (Items{kMax - 2}));
}

TEST(RangeAtTheLimits, NearTheBottomAndWithTheLargestStepsToo) {
  EXPECT_EQ(start("range", range_config(kMin + 1, kMin, -1)).yields, (Items{kMin + 1}));
  EXPECT_EQ(start("range", range_config(kMin + 5, kMin, kMin)).yields, (Items{kMin + 5}));
  EXPECT_EQ(start("range", range_config(kMax, kMin, kMin)).yields, (Items{kMax, -1}));
  EXPECT_EQ(start("range", range_config(kMin, kMax, kMax)).yields, (Items{kMin, -1, kMax - 1}));
}

TEST(RangeAtTheLimits, ARangeOfBillionsOfItemsCanBeCancelled) {
  // A lone range emits into no queue, so its emits never suspend: it must still let the
  // run's cancel (and stats ticks) in.
  auto plan = plan_of(R"({"nodes": [{"name": "r", "function": "range",
                                     "config": {"stop": 9223372036854775807}}]})",
                      builtin_registry());
  auto observer = std::make_shared<RecordingObserver>();
  std::shared_ptr<engine::RunHandle> handle;
  observer->on_stats_hook = [&handle](std::span<const engine::NodeSnapshot>) {
    if (handle) handle->cancel();
  };
  boost::asio::io_context io(1);
  boost::asio::thread_pool blocking(1);
  engine::Engine engine(io.get_executor(), blocking.get_executor());
  engine::RunOptions options;
  options.stats_interval = std::chrono::milliseconds(5);
  handle = engine.start(plan, options, observer);
  io.run_for(kRunTimeout);
  handle.reset();  // the run's timers go before the io_context they belong to
  blocking.join();
  const Recording& run = observer->recording();
  ASSERT_TRUE(run.result) << "not finished within the safety timeout";
  EXPECT_EQ(run.status(), engine::RunStatus::cancelled);
  EXPECT_GT(run.stats("r").out, 0u);
}

TEST(MillisecondSettings, AreBoundedAtThirtyDays) {
  EXPECT_EQ(config_problems("sleep", Json{{"ms", 2'592'000'001}}),
            (Problems{"node 'n': config.ms must be at most 2592000000 (30 days)"}));
  EXPECT_EQ(config_problems("sleep", Json{{"ms", kMax}}),
            (Problems{"node 'n': config.ms must be at most 2592000000 (30 days)"}));
  EXPECT_EQ(config_problems("sleep", Json{{"ms", 18446744073709551615u}}),
            (Problems{"node 'n': config.ms must be between -9223372036854775808 and "
                      "9223372036854775807"}));
  EXPECT_EQ(config_problems("repeat", Json{{"times", 1}, {"delay_ms", kMax}}),
            (Problems{"node 'n': config.delay_ms must be at most 2592000000 (30 days)"}));
  EXPECT_EQ(config_problems("values", Json{{"values", {1}}, {"delay_ms", kMax}}),
            (Problems{"node 'n': config.delay_ms must be at most 2592000000 (30 days)"}));
  EXPECT_TRUE(config_problems("sleep", Json{{"ms", 2'592'000'000}}).empty());
}

TEST(MillisecondSettings, HttpTimeoutsAndRetriesAreBoundedToo) {
  EXPECT_EQ(config_problems("http.get", Json{{"url", "http://127.0.0.1/"},
                                             {"timeout_ms", kMax},
                                             {"backoff_ms", kMax},
                                             {"max_wait_ms", -1},
                                             {"retries", 4294967297}}),
            (Problems{"node 'n': config.timeout_ms must be at most 2592000000 (30 days)",
                      "node 'n': config.backoff_ms must be at most 2592000000 (30 days)",
                      "node 'n': config.max_wait_ms must be >= 0",
                      "node 'n': config.retries must be between -2147483648 and 2147483647"}));
  EXPECT_EQ(config_problems("http.get", Json{{"url", "http://127.0.0.1/"}, {"retries", 1000}}),
            (Problems{"node 'n': config.retries must be at most 100"}));
}

TEST(HttpConfig, HeadersAndUrlsCannotSmuggleLinesIntoTheRequest) {
  EXPECT_EQ(config_problems("http.get",
                            Json{{"url", "http://127.0.0.1/"},
                                 {"headers", {{"X-A", "1\r\nX-Injected: 1"}, {"Bad Name", "v"}}}}),
            (Problems{"node 'n': config.headers 'Bad Name' is not a valid header name",
                      "node 'n': config.headers 'X-A' has a control character in its value"}));
  EXPECT_EQ(config_problems("http.get", Json{{"url", "http://127.0.0.1/a\r\nX: 1"}}),
            (Problems{"node 'n': config.url has a space or control character at offset 18"}));
}

TEST(TemplatePlaceholders, OneThatNamesNoParameterIsAProblem) {
  EXPECT_EQ(
      config_problems("template", Json{{"params", {"greeting"}},
                                       {"template", "{greeting}, {name}! {not a placeholder}"}}),
      (Problems{"node 'n': config.template has the placeholder {name}, which is not one "
                "of config.params"}));
  EXPECT_EQ(config_problems("template", Json{{"params", {"a", "a", ""}}, {"template", "{a}"}}),
            (Problems{"node 'n': config.params names 'a' twice",
                      "node 'n': config.params has an empty name"}));
  EXPECT_TRUE(
      config_problems("template", Json{{"params", {"x"}}, {"template", "{x} {} { x } {"}}).empty());
}

TEST(TemplatePlaceholders, BracesThatAreNoPlaceholdersStayAsTheyAre) {
  auto r = feed("template", Json{{"params", {"x"}}, {"template", "{{x}} {} {x"}}, Json::array({7}));
  EXPECT_EQ(r.yields, (Items{"{7} {} {x"}));
}

TEST(Conditions, ExistsTakesNoValue) {
  auto parsed = parse_condition(Json{{"field", "a"}, {"op", "exists"}, {"value", false}});
  EXPECT_FALSE(parsed.condition);
  ASSERT_EQ(parsed.problems.size(), 1u);
  EXPECT_EQ(
      parsed.problems[0],
      R"(op 'exists' takes no value (for a missing field write {"not": {"field": ..., "op": "exists"}}))");
  auto missing = parse_condition(Json{{"not", {{"field", "a"}, {"op", "exists"}}}});
  ASSERT_TRUE(missing.condition);
  EXPECT_TRUE(missing.condition->matches(Json{{"b", 1}}));
  EXPECT_FALSE(missing.condition->matches(Json{{"a", 1}}));
}

TEST(Conditions, AnIndexTooLargeForMemoryIsAProblemNotAnException) {
  auto parsed = parse_condition(Json{{"field", "a[99999999999999999999]"}, {"op", "exists"}});
  EXPECT_FALSE(parsed.condition);
  EXPECT_EQ(parsed.problems, (Problems{"cannot parse field path 'a[99999999999999999999]'"}));
  auto largest = parse_condition(Json{{"field", "a[18446744073709551615]"}, {"op", "exists"}});
  ASSERT_TRUE(largest.condition);
  EXPECT_FALSE(largest.condition->matches(Json{{"a", {1, 2}}}));
}

TEST(Conditions, NestingIsBoundedWhateverBuiltTheValue) {
  // 20,000 nested "not"s overflowed the stack of the recursive parser.
  Json deep = Json{{"field", "x"}, {"op", "exists"}};
  for (int i = 0; i < 20'000; ++i) {
    Json outer = Json::object();
    outer["not"] = std::move(deep);
    deep = std::move(outer);
  }
  auto parsed = parse_condition(deep);
  EXPECT_FALSE(parsed.condition);
  EXPECT_EQ(parsed.problems, (Problems{"the condition nests deeper than 100 levels"}));

  Json nots = Json{{"field", "x"}, {"op", "exists"}};
  for (int i = 0; i < 49; ++i) nots = Json{{"not", std::move(nots)}};
  EXPECT_TRUE(parse_condition(nots).condition);
}

TEST(Conditions, AMillionBadPartsAreNotListedOneByOne) {
  Json all = Json::array();
  for (int i = 0; i < 100'000; ++i) all.push_back(Json{{"op", "??"}, {"value", i}});
  auto parsed = parse_condition(Json{{"all", all}});
  EXPECT_FALSE(parsed.condition);
  EXPECT_LE(parsed.problems.size(), 21u);
  EXPECT_EQ(parsed.problems.back(), "... and more problems in this condition");
}

TEST(ConfigReader, AnIntegerThatDoesNotFitTheSettingIsAProblemNotAWrap) {
  const Json config{{"small", 4294967297}, {"big", 18446744073709551615u}, {"ok", 7}};
  ConfigReader reader(config);
  EXPECT_EQ(reader.get<int>("small", 3, "an integer"), 3);
  EXPECT_EQ(reader.get<std::int64_t>("big", 5, "an integer"), 5);
  EXPECT_EQ(reader.get<std::uint64_t>("big", 5, "an integer"), 18446744073709551615u);
  EXPECT_EQ(reader.get<int>("ok", 3, "an integer"), 7);
  EXPECT_EQ(reader.problems(),
            (Problems{"config.small must be between -2147483648 and 2147483647",
                      "config.big must be between -9223372036854775808 and 9223372036854775807"}));
}

}  // namespace
}  // namespace agdf::test
