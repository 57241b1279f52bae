// Each function declares its parameters once, in FunctionDef.params: a bound function
// overrides them only when its signature depends on its config, and a validated plan
// calls every node with the parameters params_of() resolves.
#include <map>
#include <ostream>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "agdf/engine/graph_file.hpp"
#include "agdf/engine/validate.hpp"
#include "agdf/nodes/registry.hpp"
#include "engine/run_harness.hpp"

namespace agdf {

void PrintTo(const Param& param, std::ostream* os) {
  *os << param.name;
  if (param.default_value) *os << "=" << param.default_value->dump();
}

namespace test {
namespace {

/// The built-ins whose signature comes from their config; every other one takes the
/// parameters it declares.
const std::set<std::string> kConfigDependent = {"template"};

/// Configs for the functions whose required keys alone do not make a valid one.
const std::map<std::string, Json> kExampleConfigs = {
    {"filter", Json{{"field", "state"}, {"op", "=="}, {"value", "Oregon"}}}};

/// A valid config for `def`: its required config keys, each set to its documented example.
Json example_config(const FunctionDef& def) {
  if (auto it = kExampleConfigs.find(def.name); it != kExampleConfigs.end()) return it->second;
  Json config = Json::object();
  for (const ConfigKey& key : def.config_keys)
    if (key.required) config[key.name] = key.example;
  return config;
}

/// The plan of a graph of one node "n" running `function` with `config`.
std::shared_ptr<const engine::Plan> one_node_plan(const Registry& registry,
                                                  const std::string& function, const Json& config) {
  Json graph = Json::object();
  graph["nodes"] = Json::array({{{"name", "n"}, {"function", function}, {"config", config}}});
  auto validation = engine::validate(engine::parse_graph_text(graph.dump()), registry);
  for (const auto& problem : validation.problems) ADD_FAILURE() << problem.to_string();
  return validation.plan;
}

TEST(FunctionSignatures, EveryBuiltinIsCalledWithTheParametersItDeclares) {
  const Registry registry = builtin_registry();
  std::size_t checked = 0;
  for (const FunctionDef* def : registry.list()) {
    if (kConfigDependent.contains(def->name)) continue;
    SCOPED_TRACE(def->name);
    const Json config = example_config(*def);

    const Prepared prepared = registry.prepare(*def, config);
    ASSERT_TRUE(prepared.function) << ::testing::PrintToString(prepared.problems);
    EXPECT_FALSE(prepared.function->params) << "its bound function lists its parameters again";
    EXPECT_EQ(params_of(*def, *prepared.function), def->params);

    const auto plan = one_node_plan(registry, def->name, config);
    ASSERT_TRUE(plan);
    EXPECT_EQ(plan->nodes.at(0).params, def->params);
    ++checked;
  }
  EXPECT_GE(checked, 19u) << "fewer built-ins were checked than there are today";
}

TEST(FunctionSignatures, TemplateTakesTheParametersItsConfigNames) {
  const Registry registry = builtin_registry();
  const FunctionDef* def = registry.find("template");
  ASSERT_NE(def, nullptr);
  EXPECT_TRUE(def->params.empty());
  const Json config = Json::parse(R"({"params": ["greeting", {"name": "name", "default": "you"}],
                                      "template": "{greeting}, {name}!"})");
  const std::vector<Param> expected{{"greeting", std::nullopt}, {"name", Json("you")}};

  const Prepared prepared = registry.prepare(*def, config);
  ASSERT_TRUE(prepared.function) << ::testing::PrintToString(prepared.problems);
  EXPECT_EQ(params_of(*def, *prepared.function), expected);

  const auto plan = one_node_plan(registry, "template", config);
  ASSERT_TRUE(plan);
  EXPECT_EQ(plan->nodes.at(0).params, expected);
}

}  // namespace
}  // namespace test
}  // namespace agdf
