#include "agdf/service/event_log.hpp"

#include <algorithm>

namespace agdf::service {

EventLog::EventLog(EventLogLimits limits)
    : limits_{std::max<std::size_t>(limits.head, 1), std::max<std::size_t>(limits.tail, 1)} {}

std::uint64_t EventLog::append(agdf::v1::RunEvent&& event) {
  event.set_seq(++last_seq_);
  if (event.has_finished()) closed_ = true;
  auto kept = std::make_shared<const agdf::v1::RunEvent>(std::move(event));
  if (head_.size() < limits_.head) {
    head_.push_back(std::move(kept));
  } else if (tail_.size() < limits_.tail) {
    tail_.push_back(std::move(kept));
  } else {
    tail_[tail_start_] = std::move(kept);  // overwrite the oldest
    tail_start_ = (tail_start_ + 1) % tail_.size();
  }
  return last_seq_;
}

EventLookup EventLog::at(std::uint64_t seq) const {
  seq = std::max<std::uint64_t>(seq, 1);
  if (seq > last_seq_) return {closed_ ? EventLookup::Kind::end : EventLookup::Kind::not_yet};
  if (seq <= head_.size()) return {EventLookup::Kind::event, head_[seq - 1], 0};
  const std::uint64_t first_in_tail = last_seq_ - tail_.size() + 1;
  if (seq >= first_in_tail) return {EventLookup::Kind::event, tail_at(seq - first_in_tail), 0};
  return {EventLookup::Kind::missed, nullptr, first_in_tail - 1};
}

}  // namespace agdf::service
