#include <gtest/gtest.h>

#include "agdf/client/event_json.hpp"
#include "client/proto_text.hpp"

namespace agdf::client {
namespace {

using testing::from_text;

std::string line_of(const std::string& event_text) {
  return event_to_json(from_text<v1::RunEvent>(event_text)).dump();
}

TEST(EventJson, StartedListsStartNodesAsInAGraphFile) {
  EXPECT_EQ(line_of(R"(run_id: "r1" seq: 1 time_unix_ms: 1000
                      started { start_nodes { node: "node1" args_json: "[\"foo\"]" }
                                start_nodes { node: "node2" } })"),
            R"({"seq":1,"run_id":"r1","time_unix_ms":1000,"type":"started",)"
            R"("start_nodes":{"node1":["foo"],"node2":[]}})");
}

TEST(EventJson, StatsAreKeyedByNodeInTheServersOrder) {
  EXPECT_EQ(line_of(R"(run_id: "r1" seq: 2 time_unix_ms: 1001
                      stats { nodes { node: "transform" in: 5 out: 4 queued: 1 active: 1 }
                              nodes { node: "extract" out: 5 } })"),
            R"({"seq":2,"run_id":"r1","time_unix_ms":1001,"type":"stats","nodes":{)"
            R"("transform":{"in":5,"out":4,"err":0,"queued":1,"active":1,"dropped":0},)"
            R"("extract":{"in":0,"out":5,"err":0,"queued":0,"active":0,"dropped":0}}})");
}

TEST(EventJson, NodeErrorCarriesTheNodeAndTheRecord) {
  EXPECT_EQ(line_of(R"(run_id: "r1" seq: 3 node_error { node: "load"
                      error { type: "ValueError" message: "intentional error for Data3" } })"),
            R"({"seq":3,"run_id":"r1","time_unix_ms":0,"type":"node_error","node":"load",)"
            R"("error":{"type":"ValueError","message":"intentional error for Data3"}})");
}

TEST(EventJson, OutputItemsAreDecodedSoTuplesAndNumbersStayJson) {
  EXPECT_EQ(line_of(R"(run_id: "r1" seq: 4 output { node: "load"
                      item_json: "{\"$tuple\":[9007199254740993,\"x\"]}" })"),
            R"({"seq":4,"run_id":"r1","time_unix_ms":0,"type":"output","node":"load",)"
            R"("item":{"$tuple":[9007199254740993,"x"]}})");
}

TEST(EventJson, LogAndMissedEventsHaveTheirFields) {
  EXPECT_EQ(
      line_of(R"(run_id: "r1" seq: 5 log { node: "load" line: " load - in=1" })"),
      R"({"seq":5,"run_id":"r1","time_unix_ms":0,"type":"log","node":"load","line":" load - in=1"})");
  EXPECT_EQ(line_of(R"(run_id: "r1" seq: 9 missed { from_seq: 6 to_seq: 8 })"),
            R"({"seq":9,"run_id":"r1","time_unix_ms":0,"type":"missed","from_seq":6,"to_seq":8})");
}

TEST(EventJson, FinishedHasStateStatsAndExceptionsAndFailureOnlyWhenSet) {
  EXPECT_EQ(line_of(R"(run_id: "r1" seq: 6 finished { state: RUN_STATE_HALTED
                      stats { node: "load" in: 5 out: 2 err: 1 }
                      exceptions { node: "load" errors { type: "ValueError" message: "boom" } } })"),
            R"({"seq":6,"run_id":"r1","time_unix_ms":0,"type":"finished","state":"halted",)"
            R"("stats":{"load":{"in":5,"out":2,"err":1,"queued":0,"active":0,"dropped":0}},)"
            R"("exceptions":{"load":[{"type":"ValueError","message":"boom"}]}})");
  EXPECT_EQ(event_to_json(from_text<v1::RunEvent>(
                              R"(finished { state: RUN_STATE_FAILED failure: "no worker" })"))
                .at("failure"),
            "no worker");
}

TEST(EventJson, RetryCarriesTheAttemptTheErrorAndTheDelay) {
  EXPECT_EQ(line_of(R"(run_id: "r1" seq: 7 retry { node: "fetch" attempt: 1 delay_ms: 100
                      error { type: "TimeoutError" message: "slow" } })"),
            R"({"seq":7,"run_id":"r1","time_unix_ms":0,"type":"retry","node":"fetch","attempt":1,)"
            R"("error":{"type":"TimeoutError","message":"slow"},"delay_ms":100})");
}

TEST(EventJson, TextThatIsNotJsonStaysAString) {
  EXPECT_EQ(decode_json_text("not json"), "not json");
  EXPECT_EQ(decode_json_text(""), nullptr);
  EXPECT_EQ(decode_json_text("", OrderedJson::array()), OrderedJson::array());
}

TEST(EventJson, StateNamesRoundTrip) {
  for (auto state : {v1::RUN_STATE_QUEUED, v1::RUN_STATE_RUNNING, v1::RUN_STATE_COMPLETED,
                     v1::RUN_STATE_HALTED, v1::RUN_STATE_CANCELLED, v1::RUN_STATE_FAILED})
    EXPECT_EQ(parse_state_name(state_name(state)), state);
  EXPECT_EQ(state_name(v1::RUN_STATE_CANCELLED), "cancelled");
  EXPECT_FALSE(parse_state_name("done"));
}

TEST(EventJson, FunctionsListParamsWithDefaultsAndConfigKeys) {
  const auto f = from_text<v1::FunctionInfo>(
      R"(name: "sleep" description: "Waits." params { name: "item" default_json: "null" }
         params { name: "other" }
         config_keys { name: "ms" description: "milliseconds" example_json: "100" required: true })");
  EXPECT_EQ(
      function_to_json(f).dump(),
      R"({"name":"sleep","description":"Waits.","params":[{"name":"item","default":null},)"
      R"({"name":"other"}],"config":[{"name":"ms","description":"milliseconds","example":100,)"
      R"("required":true}]})");
}

}  // namespace
}  // namespace agdf::client
