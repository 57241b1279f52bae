#pragma once
// Runs one built-in function inside a real engine run: fed by a `values` node (or
// started on its own), with its yields captured, its log lines and its errors kept.

#include <string>
#include <vector>

#include "engine/run_harness.hpp"

namespace agdf::test {

struct NodeRun {
  Recording run;
  std::vector<Item> yields;                 ///< what the node under test yielded, in order
  std::vector<std::string> logs;            ///< its log lines
  std::vector<engine::ErrorRecord> errors;  ///< its error records
  engine::NodeStats stats;
};

/// `function` with `config` as node "node", fed `inputs` (a JSON array) one by one.
NodeRun feed(const std::string& function, const Json& config, const Json& inputs);

/// `function` with `config` as the only node, started once with `args`.
NodeRun start(const std::string& function, const Json& config, const Json& args = Json::array());

/// The problems of `config` for `function`, as validation reports them for one node.
std::vector<std::string> config_problems(const std::string& function, const Json& config);

}  // namespace agdf::test
