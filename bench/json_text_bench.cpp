// The bounded JSON reader (depth, UTF-8, duplicate keys, positions) against nlohmann's own
// parser, on what the daemon reads: a graph document, and a page of records from an API.
#include <benchmark/benchmark.h>

#include <string>

#include "agdf/nodes/json_text.hpp"

namespace {

std::string records(int count) {
  agdf::Json page = agdf::Json::array();
  for (int i = 0; i < count; ++i)
    page.push_back({{"id", i},
                    {"name", std::string("Brewery number ").append(std::to_string(i))},
                    {"address", {{"city", "Portland"}, {"state", "Oregon"}, {"lat", 45.5 + i}}},
                    {"tags", {"micro", "taproom", i % 7}}});
  return page.dump();
}

/// "n<i>", appended (GCC 12 warns falsely about "n" + std::string).
std::string node_name(int i) {
  std::string name = "n";
  name += std::to_string(i);
  return name;
}

std::string graph() {
  agdf::Json nodes = agdf::Json::array();
  agdf::Json edges = agdf::Json::array();
  for (int i = 0; i < 200; ++i) {
    nodes.push_back({{"name", node_name(i)},
                     {"function", "echo"},
                     {"config", {{"then", {1, 2, 3}}}},
                     {"max_tasks", 2}});
    if (i > 0) edges.push_back({node_name(i - 1), node_name(i)});
  }
  return agdf::Json{{"nodes", nodes}, {"edges", edges}}.dump();
}

void nlohmann_parse(benchmark::State& state, const std::string& text) {
  for (auto _ : state) benchmark::DoNotOptimize(agdf::Json::parse(text));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
}

void bounded_read(benchmark::State& state, const std::string& text) {
  for (auto _ : state) benchmark::DoNotOptimize(agdf::read_json_text(text));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
}

const std::string kRecords = records(1000);
const std::string kGraph = graph();

}  // namespace

BENCHMARK_CAPTURE(nlohmann_parse, records_1000, kRecords);
BENCHMARK_CAPTURE(bounded_read, records_1000, kRecords);
BENCHMARK_CAPTURE(nlohmann_parse, graph_200_nodes, kGraph);
BENCHMARK_CAPTURE(bounded_read, graph_200_nodes, kGraph);

BENCHMARK_MAIN();
