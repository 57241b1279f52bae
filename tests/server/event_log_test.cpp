#include <gtest/gtest.h>

#include "agdf/service/event_log.hpp"

namespace agdf::service {
namespace {

using Kind = EventLookup::Kind;

v1::RunEvent output_event() {
  v1::RunEvent event;
  event.mutable_output()->set_node("n");
  return event;
}

v1::RunEvent finished_event() {
  v1::RunEvent event;
  event.mutable_finished()->set_state(v1::RUN_STATE_COMPLETED);
  return event;
}

TEST(EventLog, NumbersEventsFromOneWithoutGaps) {
  EventLog log({.head = 10, .tail = 10});
  EXPECT_EQ(log.append(output_event()), 1u);
  EXPECT_EQ(log.append(output_event()), 2u);
  EXPECT_EQ(log.append(output_event()), 3u);
  for (std::uint64_t seq = 1; seq <= 3; ++seq) {
    auto found = log.at(seq);
    ASSERT_EQ(found.kind, Kind::event);
    EXPECT_EQ(found.event->seq(), seq);
  }
}

TEST(EventLog, SeqZeroMeansFromTheStart) {
  EventLog log({.head = 10, .tail = 10});
  EXPECT_EQ(log.at(0).kind, Kind::not_yet);
  log.append(output_event());
  EXPECT_EQ(log.at(0).event->seq(), 1u);
}

TEST(EventLog, KeepsTheHeadAndTheTailAndReportsTheMiddleAsMissed) {
  EventLog log({.head = 3, .tail = 4});
  for (int i = 0; i < 20; ++i) log.append(output_event());
  EXPECT_EQ(log.kept(), 7u);
  for (std::uint64_t seq : {1, 2, 3, 17, 18, 19, 20}) EXPECT_EQ(log.at(seq).kind, Kind::event);
  for (std::uint64_t seq : {4, 10, 16}) {
    auto found = log.at(seq);
    EXPECT_EQ(found.kind, Kind::missed) << seq;
    EXPECT_EQ(found.missed_to, 16u) << seq;
  }
}

TEST(EventLog, BeyondTheLastEventIsNotYetUntilRunFinishedClosesIt) {
  EventLog log({.head = 1, .tail = 1});
  log.append(output_event());
  EXPECT_EQ(log.at(2).kind, Kind::not_yet);
  log.append(finished_event());
  EXPECT_TRUE(log.closed());
  EXPECT_EQ(log.at(2).kind, Kind::event);
  EXPECT_TRUE(log.at(2).event->has_finished());
  EXPECT_EQ(log.at(3).kind, Kind::end);
}

TEST(EventLog, AlwaysKeepsTheFirstAndTheLastEvent) {
  EventLog log({.head = 1, .tail = 1});
  for (int i = 0; i < 100; ++i) log.append(output_event());
  log.append(finished_event());
  EXPECT_EQ(log.at(1).kind, Kind::event);
  EXPECT_EQ(log.at(101).kind, Kind::event);
  EXPECT_EQ(log.at(2).missed_to, 100u);
}

TEST(EventLog, TheTailRingKeepsTheLatestEventsInOrderAsItWraps) {
  EventLog log({.head = 2, .tail = 3});
  for (int i = 0; i < 11; ++i) {
    v1::RunEvent event;
    event.mutable_output()->set_item_json(std::to_string(i + 1));
    log.append(std::move(event));
  }
  for (std::uint64_t seq : {9, 10, 11}) {
    auto found = log.at(seq);
    ASSERT_EQ(found.kind, Kind::event) << seq;
    EXPECT_EQ(found.event->seq(), seq);
    EXPECT_EQ(found.event->output().item_json(), std::to_string(seq));
  }
  EXPECT_EQ(log.at(3).missed_to, 8u);
}

}  // namespace
}  // namespace agdf::service
