// Turning an item into a call: tuple -> positional, object -> keywords, anything else
// (a list included) -> one argument; unpack_input=false passes tuples and objects whole;
// a mismatch is a TypeError node error and the run goes on.
#include <gtest/gtest.h>

#include "engine/run_harness.hpp"
#include "engine/test_functions.hpp"

namespace agdf::test {
namespace {

using engine::NodeStats;
using engine::RunStatus;

/// Feeds `items` (a JSON array) one by one to a recorder declaring `params`.
struct Feed {
  std::shared_ptr<CallLog> log = std::make_shared<CallLog>();
  Recording run;

  Feed(const std::string& items, std::vector<Param> params, bool unpack_input = true) {
    Registry registry = builtin_registry();
    registry.add(recorder("rec", std::move(params), log));
    Json graph = Json::parse(R"({"nodes": [{"name": "src", "function": "values"},
                                           {"name": "sink", "function": "rec"}],
                                 "edges": [["src", "sink"]]})");
    graph["nodes"][0]["config"]["values"] = Json::parse(items);
    graph["nodes"][1]["unpack_input"] = unpack_input;
    run = run_plan(plan_of(graph.dump(), registry));
  }

  std::vector<std::string> error_messages() const {
    std::vector<std::string> messages;
    for (const auto& e : run.node("sink").errors) {
      EXPECT_EQ(e.type, "TypeError");
      messages.push_back(e.message);
    }
    return messages;
  }
};

using Calls = std::vector<std::vector<Json>>;

TEST(Unpacking, TupleBecomesPositionalArguments) {
  Feed feed(R"([{"$tuple": [1, "x"]}])", {{"a", std::nullopt}, {"b", std::nullopt}});
  EXPECT_EQ(feed.log->calls, (Calls{{1, "x"}}));
  EXPECT_EQ(feed.run.stats("sink"), (NodeStats{.in = 1, .out = 1, .err = 0}));
}

TEST(Unpacking, ObjectBecomesKeywordArgumentsInParameterOrder) {
  Feed feed(R"([{"b": 2, "a": 1}])", {{"a", std::nullopt}, {"b", std::nullopt}});
  EXPECT_EQ(feed.log->calls, (Calls{{1, 2}}));
}

TEST(Unpacking, ListIsOneArgumentNotATuple) {
  Feed feed(R"([[{"id": 1}, {"id": 2}]])", {{"page", std::nullopt}});
  ASSERT_EQ(feed.log->calls.size(), 1u);
  EXPECT_EQ(feed.log->calls[0], (std::vector<Json>{Json::parse(R"([{"id": 1}, {"id": 2}])")}));
}

TEST(Unpacking, ListIntoTwoParametersIsMissingAnArgument) {
  Feed feed(R"([[1, 2]])", {{"a", std::nullopt}, {"b", std::nullopt}});
  EXPECT_TRUE(feed.log->calls.empty());
  EXPECT_EQ(feed.error_messages(),
            (std::vector<std::string>{"rec() missing 1 required positional argument: 'b'"}));
}

TEST(Unpacking, ScalarsAndNullAreOneArgument) {
  Feed feed(R"(["text", 7, 2.5, true, null])", {{"x", std::nullopt}});
  EXPECT_EQ(feed.log->calls, (Calls{{"text"}, {7}, {2.5}, {true}, {nullptr}}));
}

TEST(Unpacking, UnpackInputFalsePassesTupleAndObjectWhole) {
  Feed feed(R"([{"$tuple": [1, 2]}, {"a": 1, "b": 2}])", {{"item", std::nullopt}},
            /*unpack_input=*/false);
  EXPECT_EQ(feed.log->calls, (Calls{{make_tuple({1, 2})}, {Json::parse(R"({"a": 1, "b": 2})")}}));
  EXPECT_EQ(feed.run.stats("sink").err, 0u);
}

TEST(Unpacking, FunctionWithoutParametersIgnoresItsInput) {
  Feed feed(R"([{"$tuple": [1, 2, 3]}, {"unknown": 1}, [1], "x"])", {});
  EXPECT_EQ(feed.log->calls, (Calls{{}, {}, {}, {}}));
  EXPECT_EQ(feed.run.stats("sink"), (NodeStats{.in = 4, .out = 4, .err = 0}));
}

TEST(Unpacking, DefaultsFillWhatTheItemLeavesOut) {
  Feed feed(R"([{"$tuple": [1]}, {"a": 2}, {"$tuple": [3, 4]}, 5])",
            {{"a", std::nullopt}, {"b", Json("dflt")}});
  EXPECT_EQ(feed.log->calls, (Calls{{1, "dflt"}, {2, "dflt"}, {3, 4}, {5, "dflt"}}));
}

TEST(Unpacking, ArityAndKeywordMismatchesAreTypeErrorsAndTheRunGoesOn) {
  Feed feed(R"([{"$tuple": [1, 2, 3]}, {"$tuple": [1]}, {"a": 1, "c": 3}, {"$tuple": [1, 2]},
               {"$tuple": []}, {"b": 1}])",
            {{"a", std::nullopt}, {"b", std::nullopt}});

  EXPECT_EQ(feed.run.status(), RunStatus::completed);
  EXPECT_EQ(feed.log->calls, (Calls{{1, 2}}));
  EXPECT_EQ(feed.run.stats("sink"), (NodeStats{.in = 6, .out = 1, .err = 5}));
  EXPECT_EQ(feed.error_messages(), (std::vector<std::string>{
                                       "rec() takes 2 positional arguments but 3 were given",
                                       "rec() missing 1 required positional argument: 'b'",
                                       "rec() got an unexpected keyword argument 'c'",
                                       "rec() missing 2 required positional arguments: 'a' and 'b'",
                                       "rec() missing 1 required positional argument: 'a'",
                                   }));
  EXPECT_EQ(feed.run.errors.size(), 5u);
}

TEST(Unpacking, TupleIntoOneParameterIsTooManyArguments) {
  Feed feed(R"([{"$tuple": [0, 1]}, 2])", {{"data", std::nullopt}});
  EXPECT_EQ(feed.log->calls, (Calls{{2}}));
  EXPECT_EQ(feed.error_messages(),
            (std::vector<std::string>{"rec() takes 1 positional argument but 2 were given"}));
}

}  // namespace
}  // namespace agdf::test
