// agdf status RUN: a run's state, times, labels, counts and error records.
#include <iostream>
#include <memory>

#include "agdf/client/connection.hpp"
#include "command.hpp"
#include "output.hpp"
#include "run_info_text.hpp"

namespace agdf::client::cli {
namespace {

int show_status(const GlobalOptions& global, const std::string& run_id) {
  Connection connection(connection_options(global));
  grpc::ClientContext context;
  Connection::set_deadline(context);
  v1::GetRunRequest request;
  request.set_run_id(run_id);
  v1::RunInfo run;
  const auto status = connection.agdf().GetRun(&context, request, &run);
  if (!status.ok()) return report_failure(connection, status, "run " + run_id);
  if (global.json)
    print_json_line(run_info_to_json(run));
  else
    print_run_info(std::cout, run);
  return 0;
}

}  // namespace

void add_status_command(CLI::App& app, const GlobalOptions& global, Action& action) {
  auto run_id = std::make_shared<std::string>();
  auto* cmd = app.add_subcommand("status", "show one run: state, times, counts, errors");
  cmd->add_option("run", *run_id, "run id")->required();
  cmd->callback([&global, &action, run_id] {
    action = [&global, run_id] { return show_status(global, *run_id); };
  });
}

}  // namespace agdf::client::cli
