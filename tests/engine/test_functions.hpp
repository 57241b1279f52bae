#pragma once
// Functions registered only by tests: each one makes an engine rule observable from
// inside a call (arguments received, calls overlapping, queue depth, errors mid-call).
// Their state is shared with the test through a shared_ptr; every call of a run happens
// on the run's strand, so the state needs no lock.

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <boost/asio/steady_timer.hpp>

#include "agdf/nodes/function.hpp"

namespace agdf::test {

/// The arguments of every call, in call order.
struct CallLog {
  std::vector<std::vector<Json>> calls;
};

/// Declares `params`, records each call's arguments, yields its first argument (null when
/// it has no parameters).
FunctionDef recorder(std::string name, std::vector<Param> params, std::shared_ptr<CallLog> log);

/// How many calls were in progress at once.
struct Overlap {
  std::size_t target = 1;                    ///< a call waits until this many are in progress
  std::chrono::milliseconds patience{2000};  ///< ...or until this ran out
  std::size_t active = 0;
  std::size_t max_active = 0;
  std::size_t calls = 0;
  std::vector<std::shared_ptr<boost::asio::steady_timer>> parked;
};

/// One optional parameter `item` (default null). Each call waits until `target` calls are in
/// progress together (the last one to arrive releases the others), then yields its input.
/// Waiting for each other instead of sleeping makes overlap a fact, not a timing guess.
FunctionDef overlap_probe(std::string name, std::shared_ptr<Overlap> state);

/// The consumer's queue depth as the producer sees it: items handed over minus items the
/// consumer has taken, sampled each time an emit returns.
struct QueueDepth {
  std::uint64_t emitted = 0;
  std::uint64_t taken = 0;
  std::uint64_t max_depth = 0;
};

/// No parameters; emits 0..count-1 as fast as the engine lets it, sampling the depth.
FunctionDef depth_producer(std::string name, std::int64_t count, std::shared_ptr<QueueDepth> state);

/// One parameter; counts the item as taken, then waits `delay` and yields nothing.
FunctionDef slow_consumer(std::string name, std::chrono::milliseconds delay,
                          std::shared_ptr<QueueDepth> state);

/// One parameter; yields it, then throws NodeError("ValueError", "failed after <item>"), then
/// (never reached) yields "unreachable".
FunctionDef emit_then_throw(std::string name);

/// One parameter; throws std::out_of_range("out of range: <item>") without yielding.
FunctionDef throw_std(std::string name);

/// No parameters; yields null `times` times (Python's bare `yield`).
FunctionDef bare_yields(std::string name, int times);

/// One optional parameter; calls `on_call` (on the run's strand), then sleeps a minute and
/// yields its input. For runs that must be stopped from outside.
FunctionDef blocker(std::string name, std::function<void()> on_call);

}  // namespace agdf::test
