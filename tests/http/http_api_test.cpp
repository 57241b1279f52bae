// The JSON API against the gRPC API of the same daemon: the same runs, the same answers.
#include <gtest/gtest.h>

#include <fstream>

#include "agdf/client/event_json.hpp"
#include "http/http_fixture.hpp"

namespace agdf::http_test {
namespace {

using agdf::testing::call_context;
using agdf::testing::range_to_discard;
using agdf::testing::sleeps_a_minute;
using agdf::testing::submission;
namespace v1 = ::agdf::v1;

std::string read_example(const std::string& name) {
  std::ifstream in(std::string(AGDF_EXAMPLES_DIR) + "/" + name);
  return {std::istreambuf_iterator<char>(in), {}};
}

class HttpApi : public HttpDaemonTest {};

TEST_F(HttpApi, ARunAnswersExactlyWhatGetRunAnswers) {
  auto request = submission(read_example("halt_at_node.json"));
  (*request.mutable_labels())["team"] = "data";
  const std::string halted = submit(request);
  const std::string completed = submit(range_to_discard(100));
  for (const std::string& id : {halted, completed}) {
    const v1::RunInfo info = wait_final(id);
    const HttpAnswer answer = get(http(), "/api/runs/" + id);
    ASSERT_EQ(answer.status, 200u) << answer.body;
    EXPECT_EQ(answer.headers.at("content-type"), "application/json");
    EXPECT_EQ(answer.json(), client::run_info_to_json(info));
  }
  // And field by field, as a reader of the JSON sees them.
  const auto run = get(http(), "/api/runs/" + halted).json();
  EXPECT_EQ(run["state"], "halted");
  EXPECT_EQ(run["labels"]["team"], "data");
  EXPECT_EQ(run["stats"]["load"]["in"], 5);
  EXPECT_EQ(run["stats"]["load"]["out"], 2);
  EXPECT_EQ(run["stats"]["load"]["err"], 1);
  EXPECT_EQ(run["exceptions"]["load"][0]["message"], "intentional error for Data3");
}

TEST_F(HttpApi, AnUnknownRunIs404LikeNotFound) {
  const HttpAnswer answer = get(http(), "/api/runs/nope-1");
  EXPECT_EQ(answer.status, 404u);
  EXPECT_EQ(answer.json()["code"], "NOT_FOUND");
  EXPECT_NE(answer.json()["error"].get<std::string>().find("no run 'nope-1'"), std::string::npos);
}

TEST_F(HttpApi, TheRunsListFiltersAndPagesLikeListRuns) {
  for (int i = 0; i < 5; ++i) {
    auto request = submission(range_to_discard(10));
    (*request.mutable_labels())["batch"] = i % 2 ? "odd" : "even";
    wait_final(submit(request));
  }
  wait_final(submit(read_example("halt_at_node.json")));

  v1::ListRunsRequest list;
  (*list.mutable_labels())["batch"] = "even";
  list.set_state(v1::RUN_STATE_COMPLETED);
  list.set_page_size(2);
  v1::ListRunsResponse page;
  ASSERT_TRUE(stub().ListRuns(call_context().get(), list, &page).ok());

  const auto body = get(http(), "/api/runs?state=completed&label=batch%3Deven&page_size=2").json();
  ASSERT_EQ(body["runs"].size(), 2u);
  for (int i = 0; i < 2; ++i) EXPECT_EQ(body["runs"][i], client::run_info_to_json(page.runs(i)));
  EXPECT_EQ(body["next_page_token"], page.next_page_token());

  const auto rest =
      get(http(), "/api/runs?state=completed&label=batch=even&page_size=2&page_token=" +
                      body["next_page_token"].get<std::string>())
          .json();
  ASSERT_EQ(rest["runs"].size(), 1u);  // three "even" runs in all
  EXPECT_EQ(rest["next_page_token"], "");
  EXPECT_EQ(get(http(), "/api/runs?state=halted").json()["runs"].size(), 1u);
  EXPECT_EQ(get(http(), "/api/runs?state=sleeping").status, 400u);
  EXPECT_EQ(get(http(), "/api/runs?label=novalue").status, 400u);
  EXPECT_EQ(get(http(), "/api/runs?page_token=x").status, 400u);
}

TEST_F(HttpApi, TheGraphShowsFunctionsQueueKindsAndReadableConditions) {
  const std::string routing = submit(read_example("routing.json"));
  const auto graph = get(http(), "/api/runs/" + routing + "/graph").json();
  ASSERT_EQ(graph["nodes"].size(), 4u);
  EXPECT_EQ(graph["nodes"][0]["name"], "breweries");
  EXPECT_EQ(graph["nodes"][0]["function"], "values");
  EXPECT_EQ(graph["nodes"][0]["queue"], "fifo");
  EXPECT_EQ(graph["nodes"][0]["start"], true);
  ASSERT_EQ(graph["edges"].size(), 3u);
  EXPECT_EQ(graph["edges"][0]["from"], "breweries");
  EXPECT_EQ(graph["edges"][0]["to"], "california");
  EXPECT_EQ(graph["edges"][0]["condition"], "state == \"California\"");
  EXPECT_EQ(graph["edges"][0]["when"]["op"], "==");
  EXPECT_EQ(graph["edges"][2]["condition"], "type in [\"brewpub\", \"micro\"]");

  const std::string batching = submit(read_example("batching.json"));
  const auto batches = get(http(), "/api/runs/" + batching + "/graph").json();
  EXPECT_EQ(batches["nodes"][1]["queue"], "batch size=4");
  EXPECT_EQ(batches["edges"][0]["condition"], "");
}

TEST_F(HttpApi, SubmittingAGraphFileStartsARunWithItsLabels) {
  const HttpAnswer answer = request(http(), "POST", "/api/runs?label=team%3Dweb&label=env=test",
                                    range_to_discard(50), {{"Content-Type", "application/json"}});
  ASSERT_EQ(answer.status, 201u) << answer.body;
  const std::string id = answer.json()["run_id"];
  const v1::RunInfo info = wait_final(id);
  EXPECT_EQ(info.state(), v1::RUN_STATE_COMPLETED);
  EXPECT_EQ(info.labels().at("team"), "web");
  EXPECT_EQ(info.labels().at("env"), "test");
  EXPECT_EQ(agdf::testing::counts(info.stats(), "sink"), "50/0/0");
}

TEST_F(HttpApi, AnInvalidGraphIs400WithEveryProblemAsSubmitRunListsThem) {
  const std::string bad = R"({"nodes": [{"name": "a", "function": "nope"}], "colour": 1})";
  const HttpAnswer answer = request(http(), "POST", "/api/runs", bad);
  ASSERT_EQ(answer.status, 400u);
  v1::SubmitRunResponse ignored;
  const grpc::Status status = stub().SubmitRun(call_context().get(), submission(bad), &ignored);
  EXPECT_EQ(answer.json()["code"], "INVALID_ARGUMENT");
  EXPECT_EQ(answer.json()["error"], status.error_message());
  EXPECT_NE(status.error_message().find("unknown function 'nope'"), std::string::npos);
  EXPECT_NE(status.error_message().find("colour"), std::string::npos);
  EXPECT_EQ(request(http(), "POST", "/api/runs", "not json").status, 400u);
}

TEST_F(HttpApi, CancelAnswersOnceTheRunHasStopped) {
  const std::string id = submit(sleeps_a_minute());
  const HttpAnswer answer = request(http(), "POST", "/api/runs/" + id + "/cancel");
  ASSERT_EQ(answer.status, 200u) << answer.body;
  EXPECT_EQ(answer.json()["run_id"], id);
  EXPECT_EQ(answer.json()["state"], "cancelled");
  EXPECT_EQ(get_run(id).state(), v1::RUN_STATE_CANCELLED);
  // A finished run keeps its state; an unknown one is 404.
  EXPECT_EQ(request(http(), "POST", "/api/runs/" + id + "/cancel").json()["state"], "cancelled");
  EXPECT_EQ(request(http(), "POST", "/api/runs/nope-9/cancel").status, 404u);
}

TEST_F(HttpApi, EventsArePagedFromTheRunsLog) {
  const std::string id = submit(read_example("halt_at_node.json"));
  const v1::RunInfo info = wait_final(id);
  const auto watched = agdf::testing::watch(stub(), id);
  const auto page = get(http(), "/api/runs/" + id + "/events?from_seq=2&limit=3").json();
  ASSERT_EQ(page["events"].size(), 3u);
  for (int i = 0; i < 3; ++i)
    EXPECT_EQ(page["events"][i], client::event_to_json(watched.events[i + 1]));
  EXPECT_EQ(page["next_seq"], 5);
  EXPECT_EQ(page["finished"], false);
  const auto all = get(http(), "/api/runs/" + id + "/events").json();
  EXPECT_EQ(all["events"].size(), info.last_seq());
  EXPECT_EQ(all["finished"], true);
  EXPECT_EQ(all["events"].back()["type"], "finished");
}

TEST_F(HttpApi, FunctionsAreListedAsTheCliPrintsThem) {
  v1::ListFunctionsResponse functions;
  ASSERT_TRUE(stub().ListFunctions(call_context().get(), {}, &functions).ok());
  const auto body = get(http(), "/api/functions").json();
  ASSERT_EQ(body["functions"].size(), static_cast<std::size_t>(functions.functions_size()));
  EXPECT_EQ(body["functions"][0], client::function_to_json(functions.functions(0)));
}

}  // namespace
}  // namespace agdf::http_test
