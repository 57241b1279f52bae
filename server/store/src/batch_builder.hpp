#pragma once
// One transaction in the making: the StoreWriter feeds it what it took off its queue, and
// it makes the WriteBatch (a run's events as chunks, the per-run cap, markers for what is
// not stored, changes folded together) and the notices to send once it is written.

#include <chrono>
#include <string_view>
#include <unordered_map>

#include "agdf/store/detail/writer_ops.hpp"
#include "agdf/store/run_store.hpp"
#include "agdf/store/store_codec.hpp"

namespace agdf::store::detail {

/// What a queued item costs against the budget besides its encoded bytes.
inline constexpr std::size_t kOpOverhead = 64;

/// A chunk may grow to about this many bytes before the next event starts another one,
/// so a reader resuming in the middle of a long run decodes little it does not need.
inline constexpr std::size_t kChunkBytes = 32 * 1024;

std::int64_t unix_ms_now();
bool is_final(v1::RunState state);
/// The chunk standing for events from..to of `run` that were not stored.
EventChunk marker(std::uint64_t run, std::uint64_t from, std::uint64_t to);

class BatchBuilder {
 public:
  BatchBuilder(std::unordered_map<std::uint64_t, Tracked>& runs, std::uint64_t max_events_per_run);

  void add(Op& op);

  /// Writes the markers of gaps still open, so a crash never leaves a gap unmarked.
  WriteBatch& finish();

  /// Everyone to tell that the batch is written; run it on any thread.
  Notices succeeded();

  /// Nothing of the batch was written: new runs are refused, events count as not stored
  /// (a marker is written with the next batch), changes are handed back to retry.
  std::vector<ChangeOp> failed(const std::string& error);

  /// Whom to tell after failed(); run it on any thread.
  Notices notices();

  std::size_t bytes() const noexcept { return bytes_; }
  std::uint64_t stored() const noexcept { return stored_; }
  std::uint64_t not_stored() const noexcept { return not_stored_; }

 private:
  struct Span {
    std::uint64_t first = 0, last = 0, stored = 0;
  };

  void take(NewRunOp& op);
  void take(TrackOp& op);
  void take(ChangeOp& op);
  void take(EventOp& op);
  void take(GapOp& op);
  void take(FlushOp& op);

  /// Counts from..to as not stored, in the run's open gap.
  void widen(Tracked& run, std::uint64_t from, std::uint64_t to);
  void close_gap(std::uint64_t number, Gap& gap);
  void write_marker(std::uint64_t number, Gap& gap);

  /// Appends to the run's open chunk in this batch, or starts one.
  void add_to_chunk(std::uint64_t number, std::uint64_t seq, std::string_view bytes);

  Span& touch(std::uint64_t number, std::uint64_t seq);
  /// Notes how far each run of the batch is dealt with; forgets runs that ended.
  void tell_sinks();

  std::unordered_map<std::uint64_t, Tracked>& runs_;
  const std::uint64_t max_events_per_run_;
  WriteBatch batch_;
  std::unordered_map<std::uint64_t, std::size_t> new_run_at_;
  std::unordered_map<std::uint64_t, std::size_t> change_at_;
  std::unordered_map<std::uint64_t, std::size_t> open_chunk_;
  std::unordered_map<std::uint64_t, Span> touched_;
  std::vector<WriteDone> dones_;
  Notices notices_;
  std::size_t bytes_ = 0;
  std::uint64_t stored_ = 0;
  std::uint64_t not_stored_ = 0;
};

}  // namespace agdf::store::detail
