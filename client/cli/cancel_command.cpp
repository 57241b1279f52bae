// agdf cancel RUN: ask the daemon to cancel a run; prints the state it is in now.
#include <iostream>
#include <memory>

#include "agdf/client/connection.hpp"
#include "command.hpp"
#include "output.hpp"

namespace agdf::client::cli {
namespace {

int cancel(const GlobalOptions& global, const std::string& run_id) {
  Connection connection(connection_options(global));
  grpc::ClientContext context;
  Connection::set_deadline(context);
  v1::CancelRunRequest request;
  request.set_run_id(run_id);
  v1::CancelRunResponse response;
  const auto status = connection.agdf().CancelRun(&context, request, &response);
  if (!status.ok()) return report_failure(connection, status, "cancelling run " + run_id);
  if (global.json)
    print_json_line({{"run_id", run_id}, {"state", state_name(response.state())}});
  else
    std::cout << run_id << " " << state_name(response.state()) << "\n";
  return 0;
}

}  // namespace

void add_cancel_command(CLI::App& app, const GlobalOptions& global, Action& action) {
  auto run_id = std::make_shared<std::string>();
  auto* cmd = app.add_subcommand("cancel", "cancel a run");
  cmd->add_option("run", *run_id, "run id")->required();
  cmd->callback([&global, &action, run_id] {
    action = [&global, run_id] { return cancel(global, *run_id); };
  });
}

}  // namespace agdf::client::cli
