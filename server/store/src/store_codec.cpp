#include "agdf/store/store_codec.hpp"

namespace agdf::store {
namespace {

void append_varint(std::string& out, std::uint64_t value) {
  while (value >= 0x80) {
    out.push_back(static_cast<char>((value & 0x7f) | 0x80));
    value >>= 7;
  }
  out.push_back(static_cast<char>(value));
}

/// Reads a varint at `at`; false when the bytes end first or it is too long.
bool read_varint(std::string_view in, std::size_t& at, std::uint64_t& value) {
  value = 0;
  for (int shift = 0; at < in.size() && shift < 64; shift += 7) {
    const auto byte = static_cast<unsigned char>(in[at++]);
    value |= static_cast<std::uint64_t>(byte & 0x7f) << shift;
    if ((byte & 0x80) == 0) return true;
  }
  return false;
}

}  // namespace

NewRun encode_new_run(std::uint64_t number, const v1::RunInfo& info,
                      const v1::SubmitRunRequest* submission, std::string submitter) {
  NewRun run;
  run.number = number;
  run.id = info.run_id();
  run.state = info.state();
  run.submitted_ms = info.submitted_unix_ms();
  run.finished_ms = info.finished_unix_ms();
  for (const auto& [key, value] : info.labels()) run.labels.emplace_back(key, value);
  run.submitter = std::move(submitter);
  run.info = info.SerializeAsString();
  if (submission) run.submission = submission->SerializeAsString();
  return run;
}

RunChange encode_change(std::uint64_t number, const v1::RunInfo& info) {
  return {number, info.state(), info.finished_unix_ms(), info.SerializeAsString()};
}

RunChange state_change(std::uint64_t number, v1::RunState state) {
  return {number, state, 0, {}};
}

std::string encode_event(const v1::RunEvent& event) {
  std::string bytes = event.SerializeAsString();
  // run_id is field 1 and the C++ runtime writes fields in order: drop its bytes when they
  // come first (if they ever did not, they would stay, harmlessly).
  if (!event.run_id().empty() && bytes.size() >= 2 && bytes[0] == '\x0a') {
    std::size_t at = 1;
    std::uint64_t length = 0;
    if (read_varint(bytes, at, length) && length <= bytes.size() - at) bytes.erase(0, at + length);
  }
  return bytes;
}

void append_to_chunk(std::string& chunk, std::string_view encoded_event) {
  append_varint(chunk, encoded_event.size());
  chunk.append(encoded_event);
}

bool decode_chunk(std::string_view chunk, std::vector<v1::RunEvent>& events) {
  std::size_t at = 0;
  while (at < chunk.size()) {
    std::uint64_t length = 0;
    if (!read_varint(chunk, at, length) || length > chunk.size() - at) return false;
    v1::RunEvent& event = events.emplace_back();
    if (!event.ParseFromArray(chunk.data() + at, static_cast<int>(length))) return false;
    at += length;
  }
  return true;
}

EventChunk single_event_chunk(std::uint64_t run, const v1::RunEvent& event) {
  EventChunk chunk;
  chunk.run = run;
  chunk.first_seq = event.has_missed() ? event.missed().from_seq() : event.seq();
  chunk.last_seq = event.has_missed() ? event.missed().to_seq() : event.seq();
  append_to_chunk(chunk.events, encode_event(event));
  return chunk;
}

void set_events_not_stored(std::string& info, std::uint64_t count) {
  constexpr std::uint64_t kTag = (13 << 3) | 0;  // RunInfo.events_not_stored, a varint
  append_varint(info, kTag);
  append_varint(info, count);
}

}  // namespace agdf::store
