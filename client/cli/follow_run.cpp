#include "follow_run.hpp"

#include <iostream>
#include <optional>

#include "agdf/client/event_json.hpp"
#include "agdf/client/exit_codes.hpp"
#include "agdf/client/run_watch.hpp"
#include "live_table.hpp"
#include "output.hpp"

namespace agdf::client::cli {

int follow_run(Connection& connection, const std::string& run_id, const FollowOptions& options) {
  std::optional<LiveTable> live;
  if (is_live_terminal(options.json)) live.emplace(std::cout, run_id, options.nodes);

  const WatchOutcome outcome =
      watch_run(connection, run_id, options.from_seq, [&](const v1::RunEvent& event) {
        if (live)
          live->on_event(event);
        else
          print_json_line(event_to_json(event));
      });
  if (live) live->finish();
  if (outcome.finished) return to_int(exit_code_for(*outcome.finished));
  return report_failure(connection, outcome.status, "watching run " + run_id);
}

}  // namespace agdf::client::cli
