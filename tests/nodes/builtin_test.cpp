// The built-in functions, each run inside a real engine run, and their config checks.
#include <chrono>

#include <gtest/gtest.h>

#include "agdf/nodes/builtin.hpp"
#include "agdf/nodes/registry.hpp"
#include "nodes/node_run.hpp"

namespace agdf::test {
namespace {

using engine::NodeStats;
using Items = std::vector<Item>;
using Problems = std::vector<std::string>;
using Clock = std::chrono::steady_clock;

Json j(std::string_view text) {
  return Json::parse(text);
}

// ---- registry -------------------------------------------------------------------

TEST(Builtins, AllTenAreRegisteredWithDescriptions) {
  Registry registry;
  register_builtin_nodes(registry);
  for (const char* name : {"values", "range", "echo", "title_case", "sleep", "repeat", "fail_if",
                           "template", "print", "discard"}) {
    const FunctionDef* def = registry.find(name);
    ASSERT_NE(def, nullptr) << name;
    EXPECT_FALSE(def->description.empty()) << name;
  }
}

// ---- values ---------------------------------------------------------------------

TEST(Values, YieldsConfigValuesInOrderAsTheyAre) {
  auto r = start("values", j(R"({"values": ["a", 1, {"$tuple": [1, 2]}, [3], {"k": null}]})"));
  EXPECT_EQ(r.yields, (Items{"a", 1, make_tuple({1, 2}), j("[3]"), j(R"({"k": null})")}));
  EXPECT_EQ(r.stats, (NodeStats{.in = 0, .out = 5, .err = 0}));
}

TEST(Values, WaitsDelayMsBeforeEachItem) {
  const auto began = Clock::now();
  auto r = start("values", j(R"({"values": [1, 2, 3], "delay_ms": 10})"));
  EXPECT_GE(Clock::now() - began, std::chrono::milliseconds(30));  // timers never fire early
  EXPECT_EQ(r.yields, (Items{1, 2, 3}));
}

TEST(Values, ConfigProblems) {
  EXPECT_EQ(config_problems("values", j("{}")), (Problems{"node 'n': config.values is required"}));
  EXPECT_EQ(config_problems("values", j(R"({"values": 3, "delay_ms": -1})")),
            (Problems{"node 'n': config.values must be an array",
                      "node 'n': config.delay_ms must be >= 0"}));
}

// ---- range ----------------------------------------------------------------------

TEST(Range, YieldsLikePythonsRange) {
  EXPECT_EQ(start("range", j(R"({"stop": 4})")).yields, (Items{0, 1, 2, 3}));
  EXPECT_EQ(start("range", j(R"({"start": 2, "stop": 11, "step": 4})")).yields, (Items{2, 6, 10}));
  EXPECT_EQ(start("range", j(R"({"start": 3, "stop": 3})")).yields, Items{});
  EXPECT_EQ(start("range", j(R"({"start": 5, "stop": 1})")).yields, Items{});
}

TEST(Range, NegativeStepCountsDown) {
  EXPECT_EQ(start("range", j(R"({"start": 5, "stop": 0, "step": -2})")).yields, (Items{5, 3, 1}));
  EXPECT_EQ(start("range", j(R"({"start": 0, "stop": -3, "step": -1})")).yields,
            (Items{0, -1, -2}));
  EXPECT_EQ(start("range", j(R"({"start": 0, "stop": 5, "step": -1})")).yields, Items{});
}

TEST(Range, ConfigProblems) {
  EXPECT_EQ(config_problems("range", j(R"({"stop": 3, "step": 0})")),
            (Problems{"node 'n': config.step must not be 0"}));
  EXPECT_EQ(config_problems("range", j(R"({"stop": 2.5, "start": "0"})")),
            (Problems{"node 'n': config.start must be an integer",
                      "node 'n': config.stop must be an integer"}));
  EXPECT_EQ(config_problems("range", j(R"({})")), (Problems{"node 'n': config.stop is required"}));
}

// ---- echo -----------------------------------------------------------------------

TEST(Echo, YieldsItsInput) {
  auto r = feed("echo", j("{}"), j(R"(["x", [1, 2], null])"));
  EXPECT_EQ(r.yields, (Items{"x", j("[1, 2]"), nullptr}));
}

TEST(Echo, ThenYieldsTheConfiguredValuesAfterEachInput) {
  auto r = feed("echo", j(R"({"then": ["done", 0]})"), j(R"(["a", "b"])"));
  EXPECT_EQ(r.yields, (Items{"a", "done", 0, "b", "done", 0}));
  EXPECT_EQ(r.stats, (NodeStats{.in = 2, .out = 6, .err = 0}));
}

TEST(Echo, ConfigProblems) {
  EXPECT_EQ(config_problems("echo", j(R"({"then": "x"})")),
            (Problems{"node 'n': config.then must be an array"}));
}

// ---- title_case -----------------------------------------------------------------

TEST(TitleCase, IsPythonsStrTitle) {
  auto r = feed("title_case", j("{}"),
                j(R"(["hello world", "they're bill's friends from the UK", "2nd place", "ALL CAPS",
                      "", "a-b_c d"])"));
  EXPECT_EQ(r.yields, (Items{"Hello World", "They'Re Bill'S Friends From The Uk", "2Nd Place",
                             "All Caps", "", "A-B_C D"}));
}

TEST(TitleCase, ANonStringInputIsATypeError) {
  auto r = feed("title_case", j("{}"), j(R"([3, "ok"])"));
  EXPECT_EQ(r.yields, (Items{"Ok"}));
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0].type, "TypeError");
  EXPECT_EQ(r.errors[0].message, "title_case() needs a string, got 3");
}

// ---- sleep ----------------------------------------------------------------------

TEST(Sleep, WaitsThenPassesItsInputOn) {
  const auto began = Clock::now();
  auto r = feed("sleep", j(R"({"ms": 25})"), j(R"(["a", {"$tuple": [1]}])"));
  EXPECT_GE(Clock::now() - began, std::chrono::milliseconds(50));
  EXPECT_EQ(r.yields, (Items{"a", 1}));  // a one-tuple unpacks into the one parameter
}

TEST(Sleep, WithNoInputYieldsNull) {
  EXPECT_EQ(start("sleep", j(R"({"ms": 0})")).yields, (Items{nullptr}));
}

TEST(Sleep, ConfigProblems) {
  EXPECT_EQ(config_problems("sleep", j("{}")), (Problems{"node 'n': config.ms is required"}));
  EXPECT_EQ(config_problems("sleep", j(R"({"ms": -5})")),
            (Problems{"node 'n': config.ms must be >= 0"}));
}

// ---- repeat ---------------------------------------------------------------------

TEST(Repeat, YieldsItsInputTimesTimes) {
  auto r = feed("repeat", j(R"({"times": 3})"), j(R"(["a", "b"])"));
  EXPECT_EQ(r.yields, (Items{"a", "a", "a", "b", "b", "b"}));
  EXPECT_EQ(feed("repeat", j(R"({"times": 0})"), j(R"(["a"])")).yields, Items{});
}

TEST(Repeat, WaitsDelayMsBeforeEachCopy) {
  const auto began = Clock::now();
  auto r = feed("repeat", j(R"({"times": 3, "delay_ms": 10})"), j(R"(["a"])"));
  EXPECT_GE(Clock::now() - began, std::chrono::milliseconds(30));
  EXPECT_EQ(r.yields.size(), 3u);
}

TEST(Repeat, ConfigProblems) {
  EXPECT_EQ(config_problems("repeat", j("{}")), (Problems{"node 'n': config.times is required"}));
  EXPECT_EQ(config_problems("repeat", j(R"({"times": -1, "delay_ms": "x"})")),
            (Problems{"node 'n': config.times must be >= 0",
                      "node 'n': config.delay_ms must be an integer"}));
}

// ---- fail_if --------------------------------------------------------------------

TEST(FailIf, RaisesIntentionalErrorForListedInputsAndPassesTheRest) {
  auto r = feed("fail_if", j(R"({"values": ["Data3", 5]})"), j(R"(["Data1", "Data3", 5, 6])"));
  EXPECT_EQ(r.yields, (Items{"Data1", 6}));
  EXPECT_EQ(r.stats, (NodeStats{.in = 4, .out = 2, .err = 2}));
  ASSERT_EQ(r.errors.size(), 2u);
  EXPECT_EQ(r.errors[0].type, "ValueError");
  EXPECT_EQ(r.errors[0].message, "intentional error for Data3");
  EXPECT_EQ(r.errors[1].message, "intentional error for 5");
}

TEST(FailIf, ConfigProblems) {
  EXPECT_EQ(config_problems("fail_if", j("{}")), (Problems{"node 'n': config.values is required"}));
  EXPECT_EQ(config_problems("fail_if", j(R"({"values": {}})")),
            (Problems{"node 'n': config.values must be an array"}));
}

// ---- template -------------------------------------------------------------------

const Json kGreeting = Json::parse(R"({"params": ["greeting", "name"],
                                       "template": "{greeting}, {name}!"})");

TEST(Template, ATupleFillsTheParametersByPosition) {
  auto r = feed("template", kGreeting, j(R"([{"$tuple": ["Hi", "Bob"]}])"));
  EXPECT_EQ(r.yields, (Items{"Hi, Bob!"}));
}

TEST(Template, AnObjectFillsTheParametersByName) {
  auto r = feed("template", kGreeting, j(R"([{"name": "Ann", "greeting": "Hey"}])"));
  EXPECT_EQ(r.yields, (Items{"Hey, Ann!"}));
}

TEST(Template, DefaultsFillWhatIsLeftOut) {
  auto config = j(R"({"params": ["name", {"name": "greeting", "default": "Hello"}],
                      "template": "{greeting}, {name}!"})");
  auto r = feed("template", config, j(R"(["Zed", {"name": "Amy"}, {"$tuple": ["Lee", "Yo"]}])"));
  EXPECT_EQ(r.yields, (Items{"Hello, Zed!", "Hello, Amy!", "Yo, Lee!"}));
}

TEST(Template, ArgumentsThatAreNotStringsAreShownAndOtherBracesStay) {
  auto config = j(R"({"params": ["x"], "template": "x={x} {other text} {x"})");
  auto r = feed("template", config, j(R"([3, [1, 2], {"$tuple": [{"$tuple": [1, "a"]}]}])"));
  EXPECT_EQ(r.yields, (Items{"x=3 {other text} {x", "x=[1,2] {other text} {x",
                             "x=(1, \"a\") {other text} {x"}));
}

TEST(Template, MismatchedArgumentsAreTypeErrors) {
  auto r = feed("template", kGreeting, j(R"([{"$tuple": ["a"]}, {"who": 1}, "one"])"));
  EXPECT_TRUE(r.yields.empty());
  ASSERT_EQ(r.errors.size(), 3u);
  for (const auto& e : r.errors) EXPECT_EQ(e.type, "TypeError");
  EXPECT_EQ(r.errors[1].message, "template() got an unexpected keyword argument 'who'");
}

TEST(Template, StartArgumentsFillTheParameters) {
  EXPECT_EQ(start("template", kGreeting, j(R"(["hello", "world"])")).yields,
            (Items{"hello, world!"}));
}

TEST(Template, ConfigProblems) {
  EXPECT_EQ(config_problems("template", j(R"({"params": ["a"]})")),
            (Problems{"node 'n': config.template is required"}));
  EXPECT_EQ(
      config_problems("template", j(R"({"params": [1], "template": "t"})")),
      (Problems{
          "node 'n': config.params entries must be names or {\"name\", \"default\"} objects"}));
}

// ---- print ----------------------------------------------------------------------

TEST(Print, LogsItsInputAndYieldsNullOnce) {
  auto r = feed("print", j("{}"), j(R"(["Hello", 3, [1, "a"]])"));
  EXPECT_EQ(r.logs, (std::vector<std::string>{"Hello", "3", R"([1,"a"])"}));
  EXPECT_EQ(r.yields, (Items{nullptr, nullptr, nullptr}));
  EXPECT_EQ(r.stats, (NodeStats{.in = 3, .out = 3, .err = 0}));
}

TEST(Print, TakesNoConfig) {
  EXPECT_EQ(config_problems("print", j(R"({"x": 1})")),
            (Problems{"node 'n': unknown config key 'x' for function 'print'"}));
}

// ---- discard --------------------------------------------------------------------

TEST(Discard, TakesItsInputAndYieldsNothing) {
  auto r = feed("discard", j("{}"), j(R"(["a", "b", "c"])"));
  EXPECT_TRUE(r.yields.empty());
  EXPECT_EQ(r.stats, (NodeStats{.in = 3, .out = 0, .err = 0}));
}

}  // namespace
}  // namespace agdf::test
