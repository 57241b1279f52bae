#include "live_table.hpp"

#include <algorithm>

#include "agdf/client/event_json.hpp"

namespace agdf::client::cli {
namespace {

std::int64_t now_unix_ms() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

std::string compact(const OrderedJson& value) {
  return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace

LiveTable::LiveTable(std::ostream& out, const std::string& run_id,
                     const std::vector<std::string>& node_order)
    : out_(out) {
  view_.seed(run_id, node_order);
  drawer_ = std::thread([this] { redraw_loop(); });
}

LiveTable::~LiveTable() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (drawer_.joinable()) drawer_.join();
}

void LiveTable::on_event(const v1::RunEvent& event) {
  std::lock_guard lock(mutex_);
  if (first_event_ms_ == 0) first_event_ms_ = event.time_unix_ms();
  if (event.has_started()) first_event_ms_ = event.time_unix_ms();
  if (event.has_finished()) finished_ms_ = event.time_unix_ms();
  view_.apply(event);
  switch (event.kind_case()) {
    case v1::RunEvent::kNodeError:
      if (++error_lines_ <= kMaxErrorLines)
        pending_lines_.push_back("error in " + event.node_error().node() + ": " +
                                 event.node_error().error().type() + ": " +
                                 event.node_error().error().message());
      else if (error_lines_ == kMaxErrorLines + 1)
        pending_lines_.push_back("... more errors: see the summary");
      break;
    case v1::RunEvent::kRetry:
      if (++error_lines_ <= kMaxErrorLines)
        pending_lines_.push_back("retry " + event.retry().node() + " after attempt " +
                                 std::to_string(event.retry().attempt()) + ": " +
                                 event.retry().error().type() + ": " +
                                 event.retry().error().message());
      break;
    case v1::RunEvent::kLog:
      pending_lines_.push_back(event.log().line());
      break;
    case v1::RunEvent::kOutput:
      pending_lines_.push_back(event.output().node() + " -> " +
                               compact(decode_json_text(event.output().item_json())));
      break;
    default:
      break;
  }
}

void LiveTable::finish() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (drawer_.joinable()) drawer_.join();
  std::lock_guard lock(mutex_);
  draw_locked();
  out_ << "\n" << view_.render_summary() << std::flush;
}

void LiveTable::redraw_loop() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    draw_locked();
    wake_.wait_for(lock, kRedrawEvery, [this] { return stopping_; });
  }
}

std::chrono::milliseconds LiveTable::elapsed_locked() const {
  if (first_event_ms_ == 0) return std::chrono::milliseconds(0);
  const std::int64_t end = finished_ms_ != 0 ? finished_ms_ : now_unix_ms();
  return std::chrono::milliseconds(std::max<std::int64_t>(0, end - first_event_ms_));
}

void LiveTable::draw_locked() {
  std::string frame;
  // Back to the first line of the last table, and clear from there down.
  if (drawn_lines_ > 0) frame += "\x1b[" + std::to_string(drawn_lines_) + "F\x1b[J";
  for (const auto& line : pending_lines_) frame += line + "\n";
  pending_lines_.clear();
  const std::string table = view_.render_table(elapsed_locked());
  frame += table;
  drawn_lines_ = static_cast<std::size_t>(std::count(table.begin(), table.end(), '\n'));
  out_ << frame << std::flush;
}

}  // namespace agdf::client::cli
