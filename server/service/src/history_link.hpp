#pragma once
// Connects one run's record to the run history's writer, both ways: what the record
// numbers goes to the writer, and the writer's "stored up to" comes back to the record.

#include <memory>

#include "agdf/service/record_sink.hpp"
#include "agdf/service/run_record.hpp"
#include "agdf/store/store_codec.hpp"
#include "agdf/store/store_writer.hpp"

namespace agdf::service {

class HistoryLink final : public RecordSink, public store::RunSink {
 public:
  HistoryLink(store::StoreWriter& writer, std::uint64_t number, std::weak_ptr<RunRecord> record)
      : writer_(writer), number_(number), record_(std::move(record)) {}

  void on_event(const EventPtr& event) override { writer_.add_event(number_, *event); }
  void on_change(const v1::RunInfo& info) override {
    writer_.change_run(store::encode_change(number_, info));
  }
  void on_state(v1::RunState state) override {
    writer_.change_run(store::state_change(number_, state));
  }
  void on_stored(std::uint64_t seq, std::uint64_t not_stored) override {
    if (auto record = record_.lock()) record->on_stored(seq, not_stored);
  }

 private:
  store::StoreWriter& writer_;
  const std::uint64_t number_;
  const std::weak_ptr<RunRecord> record_;
};

}  // namespace agdf::service
