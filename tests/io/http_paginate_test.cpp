// http.paginate: page after page until an empty one, a page limit, records inside an
// object, per-call parameters, and an error part way.

#include <gtest/gtest.h>

#include "io_harness.hpp"
#include "test_http_server.hpp"

namespace agdf::io_test {
namespace {

Json numbers(int count) {
  Json records = Json::array();
  for (int i = 1; i <= count; ++i) records.push_back({{"n", i}});
  return records;
}

Json page_of(std::initializer_list<int> ns) {
  Json page = Json::array();
  for (int n : ns) page.push_back({{"n", n}});
  return page;
}

Json paginate_graph(Json config, int max_tasks = 1) {
  return {{"nodes",
           {{{"name", "pages"},
             {"function", "http.paginate"},
             {"config", config},
             {"max_tasks", max_tasks}}}}};
}

class HttpPaginate : public ::testing::Test {
 protected:
  TestHttpServer server;
  TempDir data;
  IoEngine engine;
};

TEST_F(HttpPaginate, YieldsEachPageAsOneListUntilAnEmptyPage) {
  server.route("/items", paginated(numbers(5).dump()));
  auto run = engine.run(
      paginate_graph(
          {{"url", server.url("/items")}, {"page_size_param", "per_page"}, {"page_size", 2}}),
      data.path(), {"pages"});
  EXPECT_EQ(run.outputs_of("pages"),
            (std::vector<Item>{page_of({1, 2}), page_of({3, 4}), page_of({5})}));
  EXPECT_EQ(server.requests("/items"), 4u);
}

TEST_F(HttpPaginate, StopsAtMaxPages) {
  server.route("/items", paginated(numbers(10).dump()));
  auto run = engine.run(paginate_graph({{"url", server.url("/items")},
                                        {"page_size_param", "per_page"},
                                        {"page_size", 2},
                                        {"max_pages", 2}}),
                        data.path(), {"pages"});
  EXPECT_EQ(run.outputs_of("pages"), (std::vector<Item>{page_of({1, 2}), page_of({3, 4})}));
  EXPECT_EQ(server.requests("/items"), 2u);
}

TEST_F(HttpPaginate, UsesTheConfiguredPageParameterAndFirstPage) {
  server.route("/p", [](const TestRequest& r) {
    const int p = std::stoi(r.query.at("p"));
    return TestResponse{200, p < 3 ? Json::array({p}).dump() : "[]"};
  });
  auto run = engine.run(
      paginate_graph({{"url", server.url("/p")}, {"page_param", "p"}, {"first_page", 0}}),
      data.path(), {"pages"});
  EXPECT_EQ(run.outputs_of("pages"),
            (std::vector<Item>{Json::array({0}), Json::array({1}), Json::array({2})}));
}

TEST_F(HttpPaginate, FindsTheRecordsInsideAnObjectPage) {
  server.route("/wrapped", [](const TestRequest& r) {
    const bool first = r.query.at("page") == "1";
    return TestResponse{
        200, Json{{"meta", {{"total", 1}}}, {"data", first ? page_of({7}) : Json::array()}}.dump()};
  });
  auto run =
      engine.run(paginate_graph({{"url", server.url("/wrapped")}, {"records_field", "data"}}),
                 data.path(), {"pages"});
  EXPECT_EQ(run.outputs_of("pages"), (std::vector<Item>{page_of({7})}));
}

TEST_F(HttpPaginate, APageThatIsNotAListIsANodeError) {
  server.route("/object", [](const TestRequest&) { return TestResponse{200, R"({"a":1})"}; });
  auto run = engine.run(paginate_graph({{"url", server.url("/object")}}), data.path());
  ASSERT_EQ(run.node("pages").errors.size(), 1u);
  EXPECT_EQ(run.node("pages").errors[0].type, "ValueError");
  EXPECT_NE(run.node("pages").errors[0].message.find("expected a list of records"),
            std::string::npos);
}

TEST_F(HttpPaginate, AnErrorPartWayKeepsThePagesAlreadyYielded) {
  server.route("/partial", [](const TestRequest& r) {
    if (r.query.at("page") == "1") return TestResponse{200, page_of({1}).dump()};
    return TestResponse{404, R"({"message":"gone"})"};
  });
  auto run = engine.run(paginate_graph({{"url", server.url("/partial")}}), data.path(), {"pages"});
  EXPECT_EQ(run.stats("pages"), (engine::NodeStats{0, 1, 1}));
  EXPECT_EQ(run.outputs_of("pages"), (std::vector<Item>{page_of({1})}));
  EXPECT_NE(run.node("pages").errors.at(0).message.find("gone"), std::string::npos)
      << "the server's message is part of the error";
}

TEST_F(HttpPaginate, EachCallCanPassItsOwnQueryParameters) {
  server.route("/by", [](const TestRequest& r) {
    if (r.query.at("page") != "1") return TestResponse{200, "[]"};
    return TestResponse{200, Json::array({r.query.at("country")}).dump()};
  });
  Json graph = {
      {"nodes",
       {{{"name", "countries"},
         {"function", "values"},
         {"config",
          {{"values",
            {{{"params", {{"country", "Ireland"}}}}, {{"params", {{"country", "Chile"}}}}}}}}},
        {{"name", "pages"},
         {"function", "http.paginate"},
         {"config", {{"url", server.url("/by")}}},
         {"max_tasks", 2}}}},
      {"edges", edges({{"countries", "pages"}})}};
  auto run = engine.run(graph, data.path(), {"pages"});
  auto pages = run.outputs_of("pages");
  std::sort(pages.begin(), pages.end());
  EXPECT_EQ(pages, (std::vector<Item>{Json::array({"Chile"}), Json::array({"Ireland"})}));
}

TEST_F(HttpPaginate, PageSizeKeysGoTogether) {
  auto problems =
      engine.problems(paginate_graph({{"url", server.url("/x")}, {"page_size", 10}}), data.path());
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0], "node 'pages': config.page_size_param and config.page_size go together");
}

}  // namespace
}  // namespace agdf::io_test
