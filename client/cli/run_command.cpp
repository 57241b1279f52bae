// agdf run FILE: submit a graph file and follow the run until it finishes (or --detach).
#include <iostream>
#include <memory>
#include <optional>

#include "agdf/client/arguments.hpp"
#include "agdf/client/connection.hpp"
#include "agdf/client/exit_codes.hpp"
#include "agdf/client/graph_drawing.hpp"
#include "agdf/client/submit_watch.hpp"
#include "command.hpp"
#include "follow_run.hpp"
#include "output.hpp"

namespace agdf::client::cli {
namespace {

struct RunOptions {
  std::string file;
  std::vector<std::string> starts;
  std::vector<std::string> captures;
  std::vector<std::string> labels;
  std::optional<std::int64_t> max_exceptions;
  std::optional<std::uint32_t> log_interval_ms;
  std::vector<std::string> log_nodes;
  std::optional<std::uint32_t> stats_interval_ms;
  bool detach = false;
};

/// The request from the options; nullopt after a usage error was reported.
std::optional<v1::SubmitRunRequest> build_request(const RunOptions& options,
                                                  const std::string& graph_text) {
  v1::SubmitRunRequest request;
  request.mutable_definition()->set_graph_json(graph_text);
  for (const auto& text : options.starts) {
    auto start = parse_start_argument(text);
    if (!start.value) {
      usage_error(start.error);
      return std::nullopt;
    }
    auto* s = request.add_start_nodes();
    s->set_node(start.value->node);
    s->set_args_json(start.value->args_json);
  }
  for (const auto& text : options.labels) {
    auto label = parse_label_argument(text);
    if (!label.value) {
      usage_error(label.error);
      return std::nullopt;
    }
    (*request.mutable_labels())[label.value->key] = label.value->value;
  }
  for (const auto& node : options.captures) request.add_capture(node);
  if (options.max_exceptions) request.set_max_exceptions(*options.max_exceptions);
  if (options.stats_interval_ms) request.set_stats_interval_ms(*options.stats_interval_ms);
  if (options.log_interval_ms) {
    auto* logging = request.mutable_logging();
    logging->set_enabled(true);
    logging->set_interval_ms(*options.log_interval_ms);
    for (const auto& node : options.log_nodes) logging->add_nodes(node);
  }
  return request;
}

int submit_and_follow(const GlobalOptions& global, const RunOptions& options) {
  const auto text = read_graph_file(options.file);
  if (!text) return to_int(ExitCode::kInvalidGraph);
  auto request = build_request(options, *text);
  if (!request) return to_int(ExitCode::kUsage);

  Connection connection(connection_options(global));
  if (options.detach) {
    grpc::ClientContext context;
    Connection::set_deadline(context);
    v1::SubmitRunResponse response;
    const auto status = connection.agdf().SubmitRun(&context, *request, &response);
    if (!status.ok()) return report_failure(connection, status, "cannot run " + options.file);
    if (global.json)
      print_json_line({{"run_id", response.run_id()}, {"state", state_name(response.state())}});
    else
      std::cout << response.run_id() << "\n";
    return to_int(ExitCode::kOk);
  }

  FollowOptions follow{.from_seq = 1, .json = global.json, .nodes = {}};
  for (const auto& node : read_graph_outline(*text).outline.nodes)
    follow.nodes.push_back(node.name);
  // Submitted and followed in one call: the first event cannot be missed.
  std::optional<RunFollower> follower;
  const SubmitWatchOutcome outcome = submit_and_watch(
      connection, *request,
      [&](const std::string& run_id, v1::RunState) { follower.emplace(run_id, follow); },
      [&](const v1::RunEvent& event) { follower->on_event(event); });
  if (!follower) return report_failure(connection, outcome.refused, "cannot run " + options.file);
  return follower->finish(connection, outcome.watch);
}

}  // namespace

void add_run_command(CLI::App& app, const GlobalOptions& global, Action& action) {
  auto options = std::make_shared<RunOptions>();
  auto* cmd = app.add_subcommand("run", "submit a graph file and follow the run until it ends");
  cmd->add_option("file", options->file, "graph file (JSON)")->required();
  cmd->add_option("--start", options->starts,
                  "NODE=JSON_ARGS: start this node with these arguments (a JSON array); "
                  "repeat for several; replaces the graph's start nodes")
      ->allow_extra_args(false);
  cmd->add_option("--capture", options->captures,
                  "NODE: stream the items this node yields as output events")
      ->allow_extra_args(false);
  cmd->add_option("--label", options->labels, "K=V: label the run (repeatable)")
      ->allow_extra_args(false);
  cmd->add_option("--max-exceptions", options->max_exceptions,
                  "error records kept per node (overrides the graph's)");
  cmd->add_option("--log-interval", options->log_interval_ms,
                  "MS: turn data-flow logging on, a line per node every MS milliseconds");
  cmd->add_option("--log-node", options->log_nodes, "NODE: log only these nodes (repeatable)")
      ->allow_extra_args(false);
  cmd->add_option("--stats-interval", options->stats_interval_ms,
                  "MS: at most one stats event per MS milliseconds (daemon default 250)");
  cmd->add_flag("--detach", options->detach, "print the run id and exit at once");
  cmd->callback([&global, &action, options] {
    action = [&global, options] { return submit_and_follow(global, *options); };
  });
}

}  // namespace agdf::client::cli
