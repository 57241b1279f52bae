// The reference library's showcase, examples/breweries.json, against a real HTTP server
// on loopback that pages brewery-like records the way the Open Brewery DB does.

#include <gtest/gtest.h>

#include "brewery_data.hpp"
#include "example_graph.hpp"
#include "io_harness.hpp"
#include "test_http_server.hpp"

namespace agdf::io_test {
namespace {

constexpr std::size_t kGenerated = 450;  // + 3 tricky records: pages of 200, 200, 53, then []

TEST(BreweriesExample, WritesEveryRecordOnceUnderOneHeaderInTheReferenceColumns) {
  TestHttpServer server;
  server.route("/v1/breweries", paginated(brewery_records(kGenerated).dump()));
  TempDir data;
  IoEngine engine;

  auto run = engine.run(brewery_example_for(server.url("/v1/breweries")), data.path());

  EXPECT_EQ(run.result.status, engine::RunStatus::completed);
  EXPECT_EQ(run.stats("get_open_brewery_data"), (engine::NodeStats{0, 3, 0}));
  EXPECT_EQ(run.stats("write_to_csv"), (engine::NodeStats{3, 3, 0}));
  EXPECT_EQ(read_file(data / "breweries_us.csv"), expected_brewery_csv(kGenerated));
}

TEST(BreweriesExample, AsksPageAfterPageWithTheReferenceQueryUntilAnEmptyPage) {
  TestHttpServer server;
  server.route("/v1/breweries", paginated(brewery_records(kGenerated).dump()));
  TempDir data;
  IoEngine engine;

  engine.run(brewery_example_for(server.url("/v1/breweries")), data.path());

  const auto requests = server.received("/v1/breweries");
  ASSERT_EQ(requests.size(), 4u);
  for (std::size_t i = 0; i < requests.size(); ++i) {
    EXPECT_EQ(requests[i].query.at("by_country"), "United States");
    EXPECT_EQ(requests[i].query.at("per_page"), "200");
    EXPECT_EQ(requests[i].query.at("page"), std::to_string(i + 1));
  }
}

TEST(BreweriesExample, ASecondRunReplacesTheFileInsteadOfAddingASecondHeader) {
  TestHttpServer server;
  server.route("/v1/breweries", paginated(brewery_records(10).dump()));
  TempDir data;
  IoEngine engine;
  const auto graph = brewery_example_for(server.url("/v1/breweries"));

  engine.run(graph, data.path());
  engine.run(graph, data.path());

  EXPECT_EQ(read_file(data / "breweries_us.csv"), expected_brewery_csv(10));
}

}  // namespace
}  // namespace agdf::io_test
