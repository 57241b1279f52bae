// json.pick, json.flatten and filter, alone and chained the way a pipeline uses them.

#include <gtest/gtest.h>

#include "io_harness.hpp"

namespace agdf::io_test {
namespace {

/// `values` yields `items` into one node running `function` with `config`.
Json shape_graph(Json items, const std::string& function, Json config) {
  return {{"nodes",
           {{{"name", "in"}, {"function", "values"}, {"config", {{"values", items}}}},
            {{"name", "f"}, {"function", function}, {"config", config}, {"unpack_input", false}}}},
          {"edges", edges({{"in", "f"}})}};
}

class RecordShaping : public ::testing::Test {
 protected:
  std::vector<Item> outputs(Json items, const std::string& function, Json config) {
    auto run = engine.run(shape_graph(items, function, config), data.path(), {"f"});
    EXPECT_EQ(run.stats("f").err, 0u)
        << (run.node("f").errors.empty() ? "" : run.node("f").errors[0].message);
    return run.outputs_of("f");
  }

  TempDir data;
  IoEngine engine;
};

const Json kBrewery = {{"id", "b1"},
                       {"name", "Hop Inn"},
                       {"address", {{"city", "Bend"}, {"geo", {{"lat", 44.0}, {"lon", -121.3}}}}},
                       {"tags", {"ipa", "stout"}}};

TEST_F(RecordShaping, PickKeepsTheListedFields) {
  EXPECT_EQ(outputs({kBrewery}, "json.pick", {{"fields", {"id", "name", "nope"}}}),
            (std::vector<Item>{Json{{"id", "b1"}, {"name", "Hop Inn"}}}));
}

TEST_F(RecordShaping, PickRenamesAndReachesIntoNestedObjects) {
  EXPECT_EQ(outputs({kBrewery}, "json.pick",
                    {{"fields", {{"id", "brewery_id"}, {"address.city", "city"}, {"gone", "g"}}},
                     {"missing", "null"}}),
            (std::vector<Item>{Json{{"brewery_id", "b1"}, {"city", "Bend"}, {"g", nullptr}}}));
}

TEST_F(RecordShaping, PickShapesEveryRecordOfAList) {
  Json page = {{{"id", 1}, {"x", 0}}, {{"id", 2}, {"x", 0}}};
  EXPECT_EQ(outputs({page}, "json.pick", {{"fields", {"id"}}}),
            (std::vector<Item>{Json::array({{{"id", 1}}, {{"id", 2}}})}));
}

TEST_F(RecordShaping, FlattenJoinsNestedKeys) {
  EXPECT_EQ(outputs({kBrewery}, "json.flatten", Json::object()),
            (std::vector<Item>{Json{{"id", "b1"},
                                    {"name", "Hop Inn"},
                                    {"address.city", "Bend"},
                                    {"address.geo.lat", 44.0},
                                    {"address.geo.lon", -121.3},
                                    {"tags", {"ipa", "stout"}}}}));
  EXPECT_EQ(outputs({{{"a", {{"b", 1}}}}}, "json.flatten", {{"separator", "_"}}),
            (std::vector<Item>{Json{{"a_b", 1}}}));
}

TEST_F(RecordShaping, ARecordFunctionRefusesSomethingElse) {
  auto run = engine.run(shape_graph({5}, "json.flatten", Json::object()), data.path());
  ASSERT_EQ(run.node("f").errors.size(), 1u);
  EXPECT_EQ(run.node("f").errors[0].message,
            "json.flatten takes a record (an object) or a list of records, not a number");
}

TEST_F(RecordShaping, FilterPassesTheItemsThatMatch) {
  Json items = {{{"state", "Oregon"}, {"n", 1}},
                {{"state", "Texas"}, {"n", 2}},
                {{"state", "Oregon"}, {"n", 3}}};
  EXPECT_EQ(outputs(items, "filter", {{"field", "state"}, {"op", "=="}, {"value", "Oregon"}}),
            (std::vector<Item>{items[0], items[2]}));
  EXPECT_EQ(outputs(items, "filter", {{"field", "n"}, {"op", ">="}, {"value", 2}}),
            (std::vector<Item>{items[1], items[2]}));
  EXPECT_EQ(outputs(items, "filter",
                    {{"all",
                      {{{"field", "state"}, {"op", "=="}, {"value", "Oregon"}},
                       {{"not", {{"field", "n"}, {"op", "=="}, {"value", 1}}}}}}}),
            (std::vector<Item>{items[2]}));
}

TEST_F(RecordShaping, FilterWithEachKeepsTheMatchingElementsOfAList) {
  Json page = {{{"t", "micro"}}, {{"t", "closed"}}, {{"t", "micro"}}};
  Json closed_only = {{{"t", "closed"}}, {{"t", "closed"}}};
  EXPECT_EQ(outputs({page, closed_only}, "filter",
                    {{"field", "t"}, {"op", "!="}, {"value", "closed"}, {"each", true}}),
            (std::vector<Item>{Json::array({{{"t", "micro"}}, {{"t", "micro"}}})}))
      << "a list with no match passes nothing on";
}

TEST_F(RecordShaping, ABadConditionIsRefusedAtValidation) {
  auto problems =
      engine.problems(shape_graph({1}, "filter", {{"op", "~="}, {"value", 1}}), data.path());
  EXPECT_EQ(problems, (std::vector<std::string>{"node 'f': config: unknown op '~='"}));
}

TEST_F(RecordShaping, APipelineFlattensPicksFiltersAndWrites) {
  Json page = {kBrewery, {{"id", "b2"}, {"name", "Dry Town"}, {"address", {{"city", "Salem"}}}}};
  Json graph = {
      {"nodes",
       {{{"name", "pages"}, {"function", "values"}, {"config", {{"values", {page}}}}},
        {{"name", "flat"}, {"function", "json.flatten"}},
        {{"name", "pick"},
         {"function", "json.pick"},
         {"config",
          {{"fields", {{"id", "id"}, {"address.city", "city"}, {"address.geo.lat", "lat"}}}}}},
        {{"name", "keep"},
         {"function", "filter"},
         {"config", {{"field", "lat"}, {"op", "exists"}, {"each", true}}}},
        {{"name", "csv"},
         {"function", "csv.write"},
         {"config", {{"path", "bend.csv"}, {"columns", {"id", "city", "lat"}}}}}}},
      {"edges", edges({{"pages", "flat"}, {"flat", "pick"}, {"pick", "keep"}, {"keep", "csv"}})}};
  auto run = engine.run(graph, data.path());
  EXPECT_EQ(run.result.status, engine::RunStatus::completed);
  EXPECT_EQ(read_file(data / "bend.csv"), "id,city,lat\r\nb1,Bend,44.0\r\n");
}

}  // namespace
}  // namespace agdf::io_test
