// agdf validate FILE: every problem of a graph file, checked by the daemon; exit 2 if invalid.
#include <iostream>

#include "agdf/client/connection.hpp"
#include "agdf/client/exit_codes.hpp"
#include "command.hpp"
#include "output.hpp"

namespace agdf::client::cli {
namespace {

struct ValidateOptions {
  std::string file;
};

int validate_graph(const GlobalOptions& global, const ValidateOptions& options) {
  const auto text = read_graph_file(options.file);
  if (!text) return to_int(ExitCode::kInvalidGraph);
  Connection connection(connection_options(global));
  grpc::ClientContext context;
  Connection::set_deadline(context);
  v1::ValidateGraphRequest request;
  request.mutable_definition()->set_graph_json(*text);
  v1::ValidateGraphResponse response;
  const auto status = connection.agdf().ValidateGraph(&context, request, &response);
  if (!status.ok()) return report_failure(connection, status, "validating " + options.file);

  if (global.json) {
    OrderedJson problems = OrderedJson::array();
    for (const auto& p : response.problems())
      problems.push_back({{"where", p.where()}, {"message", p.message()}});
    print_json_line(
        {{"file", options.file}, {"valid", response.valid()}, {"problems", std::move(problems)}});
  } else if (response.valid()) {
    std::cout << options.file << ": valid\n";
  } else {
    std::cout << options.file << ": " << response.problems_size() << " problem"
              << (response.problems_size() == 1 ? "" : "s") << "\n";
    for (const auto& p : response.problems())
      std::cout << "  " << (p.where().empty() ? "graph" : p.where()) << ": " << p.message() << "\n";
  }
  return to_int(response.valid() ? ExitCode::kOk : ExitCode::kInvalidGraph);
}

}  // namespace

void add_validate_command(CLI::App& app, const GlobalOptions& global, Action& action) {
  auto options = std::make_shared<ValidateOptions>();
  auto* cmd =
      app.add_subcommand("validate", "check a graph file on the daemon; list every problem");
  cmd->add_option("file", options->file, "graph file (JSON)")->required();
  cmd->callback([&global, &action, options] {
    action = [&global, options] { return validate_graph(global, *options); };
  });
}

}  // namespace agdf::client::cli
