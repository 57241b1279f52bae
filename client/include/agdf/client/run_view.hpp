#pragma once
/// What a person watching a run on a terminal sees: a per-node table (node, state,
/// in, out, err, queued) folded from the run's events, and the summary at the end.
/// Pure text; the CLI decides when to draw it and how to move the cursor.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "agdf/v1/agdf.pb.h"

namespace agdf::client {

class RunView {
 public:
  /// The run, and the nodes whose rows come first in this order (a graph file's order).
  void seed(const std::string& run_id, const std::vector<std::string>& nodes);

  void apply(const v1::RunEvent& event);

  const std::string& run_id() const noexcept { return run_id_; }
  const std::optional<v1::RunFinished>& finished() const noexcept { return finished_; }

  /// A header line (run, state, elapsed) and one line per node; every line ends in '\n'.
  std::string render_table(std::chrono::milliseconds elapsed) const;

  /// The final state, the counts and the error records (at most `max_errors` per node).
  std::string render_summary(std::size_t max_errors_per_node = 10) const;

 private:
  v1::NodeStats& row(const std::string& node);
  void take_stats(const google::protobuf::RepeatedPtrField<v1::NodeStats>& nodes);
  std::string node_state(const v1::NodeStats& stats) const;

  std::string run_id_;
  std::vector<v1::NodeStats> rows_;
  std::optional<v1::RunFinished> finished_;
  std::uint64_t missed_ = 0;
};

}  // namespace agdf::client
