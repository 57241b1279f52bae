// agdf runs [--state S] [--label K=V]... [--limit N]: the daemon's runs, newest first.
#include <algorithm>
#include <iomanip>
#include <iostream>
#include <memory>

#include "agdf/client/arguments.hpp"
#include "agdf/client/connection.hpp"
#include "agdf/client/exit_codes.hpp"
#include "command.hpp"
#include "output.hpp"
#include "run_info_text.hpp"

namespace agdf::client::cli {
namespace {

struct RunsOptions {
  std::string state;
  std::vector<std::string> labels;
  std::string submitted_by;
  std::uint32_t limit = 50;
};

/// Largest page ListRuns serves.
constexpr std::uint32_t kMaxPage = 1000;

int list_runs(const GlobalOptions& global, const RunsOptions& options) {
  v1::ListRunsRequest request;
  if (!options.state.empty()) {
    auto state = parse_state_name(options.state);
    if (!state)
      return usage_error(
          "--state must be queued, running, completed, halted, cancelled or "
          "failed, not '" +
          options.state + "'");
    request.set_state(*state);
  }
  for (const auto& text : options.labels) {
    auto label = parse_label_argument(text);
    if (!label.value) return usage_error(label.error);
    (*request.mutable_labels())[label.value->key] = label.value->value;
  }

  request.set_submitted_by(options.submitted_by);
  Connection connection(connection_options(global));
  std::vector<v1::RunInfo> runs;
  while (runs.size() < options.limit) {
    request.set_page_size(std::min<std::uint32_t>(options.limit - runs.size(), kMaxPage));
    grpc::ClientContext context;
    Connection::set_deadline(context);
    v1::ListRunsResponse response;
    const auto status = connection.agdf().ListRuns(&context, request, &response);
    if (!status.ok()) return report_failure(connection, status, "listing runs");
    for (auto& run : *response.mutable_runs())
      if (runs.size() < options.limit) runs.push_back(std::move(run));
    if (response.next_page_token().empty()) break;
    request.set_page_token(response.next_page_token());
  }

  if (global.json) {
    for (const auto& run : runs) print_json_line(run_info_to_json(run));
    return 0;
  }
  std::size_t width = 6;
  std::size_t by_width = 14;
  for (const auto& run : runs) {
    width = std::max(width, run.run_id().size());
    by_width = std::max(by_width, run.submitted_by().size() + 2);
  }
  const int w = static_cast<int>(width);
  const int bw = static_cast<int>(by_width);
  std::cout << std::left << std::setw(w) << "run"
            << "  " << std::setw(10) << "state" << std::setw(26) << "submitted" << std::setw(bw)
            << "submitted by"
            << "labels\n";
  for (const auto& run : runs)
    std::cout << std::left << std::setw(w) << run.run_id() << "  " << std::setw(10)
              << state_name(run.state()) << std::setw(26) << iso_time(run.submitted_unix_ms())
              << std::setw(bw) << (run.submitted_by().empty() ? "-" : run.submitted_by())
              << labels_text(run.labels()) << "\n";
  return 0;
}

}  // namespace

void add_runs_command(CLI::App& app, const GlobalOptions& global, Action& action) {
  auto options = std::make_shared<RunsOptions>();
  auto* cmd = app.add_subcommand("runs", "list runs, newest first");
  cmd->add_option("--state", options->state,
                  "only runs in this state (queued, running, completed, halted, cancelled, "
                  "failed)");
  cmd->add_option("--label", options->labels, "K=V: only runs with this label (repeatable)")
      ->allow_extra_args(false);
  cmd->add_option("--submitted-by", options->submitted_by,
                  "only runs this principal submitted (a name from the daemon's token file)");
  cmd->add_option("--limit", options->limit, "at most this many runs")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  cmd->callback([&global, &action, options] {
    action = [&global, options] { return list_runs(global, *options); };
  });
}

}  // namespace agdf::client::cli
