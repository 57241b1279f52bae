#pragma once
// What the StoreWriter queues, and what it keeps per run on its own thread. Private to
// the writer (store_writer.cpp and batch_builder.cpp); here only because the writer's
// members hold them.

#include <cstdint>
#include <functional>
#include <future>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "agdf/store/run_store.hpp"

namespace agdf::store {

class RunSink;

namespace detail {

/// nullopt once the run is durable; otherwise why it could not be stored.
using WriteDone = std::function<void(std::optional<std::string> error)>;

struct NewRunOp {
  NewRun run;
  std::shared_ptr<RunSink> sink;
  WriteDone done;
  std::size_t bytes;
};
struct TrackOp {
  std::uint64_t run;
  std::shared_ptr<RunSink> sink;
};
struct ChangeOp {
  RunChange change;
  std::size_t bytes;
};
struct EventOp {
  std::uint64_t run;
  std::uint64_t seq;
  bool finished;
  std::string bytes;  ///< encoded
};
struct GapOp {  ///< events the full queue turned away
  std::uint64_t run, from, to;
};
struct FlushOp {
  std::shared_ptr<std::promise<void>> done;
};
using Op = std::variant<NewRunOp, TrackOp, ChangeOp, EventOp, GapOp, FlushOp>;

/// Whom a written (or failed) batch is told to.
struct Notices {
  struct Stored {
    std::shared_ptr<RunSink> sink;
    std::uint64_t seq, not_stored;
  };
  std::vector<std::pair<WriteDone, std::optional<std::string>>> dones;
  std::vector<Stored> stored;
  std::vector<std::shared_ptr<std::promise<void>>> flushes;
  void deliver();
};

struct Gap {
  std::uint64_t from = 0, to = 0;  ///< 0: none open
  bool dirty = false;              ///< its marker needs (re)writing
};
/// What the writer's thread knows of a run in flight.
struct Tracked {
  std::shared_ptr<RunSink> sink;
  std::uint64_t stored = 0;
  std::uint64_t not_stored = 0;
  Gap gap;
  bool final = false;
};

}  // namespace detail
}  // namespace agdf::store
