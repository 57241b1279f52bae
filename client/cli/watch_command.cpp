// agdf watch RUN [--from SEQ]: follow a run's events (from the start, or from SEQ).
#include <memory>

#include "command.hpp"
#include "follow_run.hpp"

namespace agdf::client::cli {
namespace {

struct WatchOptions {
  std::string run_id;
  std::uint64_t from_seq = 1;
};

int watch(const GlobalOptions& global, const WatchOptions& options) {
  Connection connection(connection_options(global));
  return follow_run(connection, options.run_id,
                    {.from_seq = options.from_seq, .json = global.json, .nodes = {}});
}

}  // namespace

void add_watch_command(CLI::App& app, const GlobalOptions& global, Action& action) {
  auto options = std::make_shared<WatchOptions>();
  auto* cmd = app.add_subcommand("watch", "follow a run's events until it finishes");
  cmd->add_option("run", options->run_id, "run id")->required();
  cmd->add_option("--from", options->from_seq, "SEQ: the first event wanted (default 1)");
  cmd->callback([&global, &action, options] {
    action = [&global, options] { return watch(global, *options); };
  });
}

}  // namespace agdf::client::cli
