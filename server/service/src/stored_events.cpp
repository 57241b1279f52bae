#include "agdf/service/stored_events.hpp"

#include "agdf/service/convert.hpp"

namespace agdf::service {
namespace {

/// The first seq an event (or an EventsMissed marker) stands for, and the last.
std::uint64_t first_seq(const v1::RunEvent& e) {
  return e.has_missed() ? e.missed().from_seq() : e.seq();
}
std::uint64_t last_seq(const v1::RunEvent& e) {
  return e.has_missed() ? e.missed().to_seq() : e.seq();
}

}  // namespace

EventPtr missed_event(const std::string& run_id, std::uint64_t from, std::uint64_t to) {
  auto event = std::make_shared<v1::RunEvent>();
  event->set_run_id(run_id);
  event->set_seq(to);
  event->set_time_unix_ms(unix_ms_now());
  event->mutable_missed()->set_from_seq(from);
  event->mutable_missed()->set_to_seq(to);
  return event;
}

StoredEvents stored_events(const std::string& run_id, std::uint64_t from, std::uint64_t to,
                           std::size_t asked, std::vector<v1::RunEvent> read) {
  StoredEvents out;
  std::uint64_t expected = from;
  const std::size_t answered = read.size();
  for (v1::RunEvent& event : read) {
    if (first_seq(event) > to) break;
    if (first_seq(event) > expected)
      out.events.push_back(missed_event(run_id, expected, first_seq(event) - 1));
    expected = last_seq(event) + 1;
    event.set_run_id(run_id);
    out.events.push_back(std::make_shared<const v1::RunEvent>(std::move(event)));
  }
  const bool store_has_more = answered == asked && expected <= to;
  if (!store_has_more && expected <= to) {
    out.events.push_back(missed_event(run_id, expected, to));
    expected = to + 1;
  }
  out.next_seq = expected;
  return out;
}

}  // namespace agdf::service
