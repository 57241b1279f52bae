#pragma once
/// The live view of a run on a terminal: the per-node table redrawn in place (ANSI
/// cursor movement) at most ~10 times a second by its own thread, with node errors,
/// log lines and outputs scrolling above it, then the summary.

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <ostream>
#include <string>
#include <thread>
#include <vector>

#include "agdf/client/run_view.hpp"

namespace agdf::client::cli {

class LiveTable {
 public:
  LiveTable(std::ostream& out, const std::string& run_id,
            const std::vector<std::string>& node_order);
  ~LiveTable();
  LiveTable(const LiveTable&) = delete;
  LiveTable& operator=(const LiveTable&) = delete;

  void on_event(const v1::RunEvent& event);

  /// Stops redrawing, draws the last table and prints the summary.
  void finish();

 private:
  static constexpr auto kRedrawEvery = std::chrono::milliseconds(100);
  static constexpr int kMaxErrorLines = 20;

  void redraw_loop();
  void draw_locked();
  std::chrono::milliseconds elapsed_locked() const;

  std::ostream& out_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  RunView view_;
  std::vector<std::string> pending_lines_;
  int error_lines_ = 0;
  std::size_t drawn_lines_ = 0;
  std::int64_t first_event_ms_ = 0;
  std::int64_t finished_ms_ = 0;
  std::thread drawer_;
};

}  // namespace agdf::client::cli
