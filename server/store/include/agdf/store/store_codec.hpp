#pragma once
/// How runs and events are encoded for a RunStore: protobuf wire bytes, the same for every
/// backend. Encoding happens where a write is queued (a run's strand, a gRPC thread), so
/// the writer's thread only moves bytes.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "agdf/store/run_store.hpp"

namespace agdf::store {

/// A NewRun from the run's summary and the request as the client sent it (may be null).
NewRun encode_new_run(std::uint64_t number, const v1::RunInfo& info,
                      const v1::SubmitRunRequest* submission, std::string submitter = {});

/// A change replacing the run's summary with `info`.
RunChange encode_change(std::uint64_t number, const v1::RunInfo& info);
/// A change of the run's state only (it started).
RunChange state_change(std::uint64_t number, v1::RunState state);

/// The event's wire bytes without its run_id (the row says which run).
std::string encode_event(const v1::RunEvent& event);
/// Appends one encoded event to a chunk, length-prefixed.
void append_to_chunk(std::string& chunk, std::string_view encoded_event);
/// The events of a chunk, in order; false when it does not decode.
bool decode_chunk(std::string_view chunk, std::vector<v1::RunEvent>& events);
/// A chunk holding one event.
EventChunk single_event_chunk(std::uint64_t run, const v1::RunEvent& event);

/// `info` (an encoded RunInfo) with events_not_stored set to `count`: a field appended to
/// the wire bytes, which protobuf reads as the field's value (the last one wins).
void set_events_not_stored(std::string& info, std::uint64_t count);

}  // namespace agdf::store
