#include "follow_run.hpp"

#include <iostream>

#include "agdf/client/event_json.hpp"
#include "agdf/client/exit_codes.hpp"
#include "output.hpp"

namespace agdf::client::cli {

RunFollower::RunFollower(const std::string& run_id, const FollowOptions& options)
    : run_id_(run_id) {
  if (is_live_terminal(options.json)) live_.emplace(std::cout, run_id, options.nodes);
}

void RunFollower::on_event(const v1::RunEvent& event) {
  if (live_)
    live_->on_event(event);
  else
    print_json_line(event_to_json(event));
}

int RunFollower::finish(const Connection& connection, const WatchOutcome& outcome) {
  if (live_) live_->finish();
  if (outcome.finished) return to_int(exit_code_for(*outcome.finished));
  return report_failure(connection, outcome.status, "watching run " + run_id_);
}

int follow_run(Connection& connection, const std::string& run_id, const FollowOptions& options) {
  RunFollower follower(run_id, options);
  const WatchOutcome outcome =
      watch_run(connection, run_id, options.from_seq,
                [&](const v1::RunEvent& event) { follower.on_event(event); });
  return follower.finish(connection, outcome);
}

}  // namespace agdf::client::cli
