#pragma once
/// Where a run's record sends what must outlive the daemon: each event as it is numbered,
/// and the run's summary whenever its state changes. The run history implements it; a
/// daemon without a store has none.

#include "agdf/service/event_log.hpp"
#include "agdf/v1/agdf.pb.h"

namespace agdf::service {

class RecordSink {
 public:
  virtual ~RecordSink() = default;
  /// Called under the record's lock, in seq order: must only enqueue.
  virtual void on_event(const EventPtr& event) = 0;
  /// Called under the record's lock, after the event that ended the run (or otherwise
  /// changed its summary).
  virtual void on_change(const agdf::v1::RunInfo& info) = 0;
  /// Called under the record's lock, after the event that started the run: only its
  /// state changed (cheaper than a whole summary, on the run's strand).
  virtual void on_state(agdf::v1::RunState state) = 0;
};

}  // namespace agdf::service
