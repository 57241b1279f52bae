#pragma once
// examples/breweries.json as the tests use it: read from the source tree, pointed at a
// local server instead of the Open Brewery DB (these machines have no internet).

#include <fstream>
#include <string>

#include <nlohmann/json.hpp>

namespace agdf::io_test {

/// The brewery example with its paginating node's URL replaced by `url`.
inline nlohmann::json brewery_example_for(const std::string& url) {
  std::ifstream file(std::string(AGDF_EXAMPLES_DIR) + "/breweries.json");
  nlohmann::json graph = nlohmann::json::parse(file);
  for (auto& node : graph.at("nodes"))
    if (node.at("function") == "http.paginate") node["config"]["url"] = url;
  return graph;
}

}  // namespace agdf::io_test
