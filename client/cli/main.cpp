// agdf: the command-line client of agdf-server (see "The agdf command-line client" in README.md).
#include <iostream>

#include "agdf/client/exit_codes.hpp"
#include "command.hpp"

int main(int argc, char** argv) {
  using namespace agdf::client;
  CLI::App app{"agdf: submit dataflow graphs to agdf-server and watch them run"};
  app.require_subcommand(1);
  app.fallthrough();

  cli::GlobalOptions global;
  app.add_option("--server", global.server,
                 "daemon address HOST:PORT (default: $AGDF_SERVER, else 127.0.0.1:50051)");
  app.add_flag("--json", global.json, "print JSON (one object per line) instead of text");
  cli::add_connection_options(app, global.link);

  cli::Action action;
  cli::add_functions_command(app, global, action);
  cli::add_validate_command(app, global, action);
  cli::add_run_command(app, global, action);
  cli::add_watch_command(app, global, action);
  cli::add_status_command(app, global, action);
  cli::add_runs_command(app, global, action);
  cli::add_cancel_command(app, global, action);
  cli::add_health_command(app, global, action);
  cli::add_graph_command(app, global, action);

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return to_int(ExitCode::kUsage);
  }
  try {
    return action();
  } catch (const ConnectionError& e) {
    std::cerr << "agdf: " << e.what() << "\n";
    return to_int(ExitCode::kUsage);
  }
}
