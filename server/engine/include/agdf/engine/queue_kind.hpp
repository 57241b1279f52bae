#pragma once
/// Queue kinds: named, configurable behaviours that shape what reaches a node's tasks
/// (the reference's custom queues, which a remote client cannot send as code). A kind
/// is registered in C++ like a function; each built-in kind is one file under
/// server/engine/src/queue_kinds/.

#include <chrono>
#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "agdf/nodes/function.hpp"

namespace agdf::engine {

/// The source slot of items that no node sent (a preloaded queue's items).
inline constexpr std::size_t kNoSource = static_cast<std::size_t>(-1);

/// What a queue behaviour can do to the queue it shapes. Implemented by the engine.
class QueueSink {
 public:
  virtual ~QueueSink() = default;
  /// Makes `entry` available to the node's tasks; it replaces `items_used` held items.
  virtual void deliver(Item entry, std::size_t items_used) = 0;
  /// Discards `items` held items; `why` is logged to the run (never silent).
  virtual void drop(std::size_t items, const std::string& why) = 0;
  /// Held items left, so producers waiting for space should look again.
  virtual void space_freed() = 0;
  /// Entries waiting for the node's tasks.
  virtual std::size_t ready() const = 0;
  /// Calls on_timer() once, `after` from now (only the latest request counts).
  virtual void wake_after(std::chrono::milliseconds after) = 0;
};

/// One node's queue behaviour for one run. All calls come from the run's strand.
class QueueBehaviour {
 public:
  virtual ~QueueBehaviour() = default;
  /// Whether an item from source slot `source` may enter now; false makes the
  /// producer wait (back-pressure). `capacity` is the node's queue_size.
  virtual bool accepts(std::size_t source, const QueueSink& sink, std::size_t capacity) const {
    (void)source;
    return sink.ready() < capacity;
  }
  /// An item arrived from source slot `source` (index into the node's sources, in edge
  /// order, or kNoSource).
  virtual void push(std::size_t source, Item item, QueueSink& sink) = 0;
  /// Every upstream producer has finished: nothing will ever arrive again.
  virtual void sources_finished(QueueSink& sink) { (void)sink; }
  /// A wake_after() request came due.
  virtual void on_timer(QueueSink& sink) { (void)sink; }
};

/// What a queue kind is told about the node it will shape.
struct QueueNodeInfo {
  std::string node;
  std::vector<std::string> sources;  ///< source node names, in edge order
};

/// A checked queue config: makes one behaviour per run, plus items to preload.
struct PreparedQueue {
  std::function<std::unique_ptr<QueueBehaviour>()> make;  ///< null: a plain FIFO
  Json::array_t preload;
  std::vector<std::string> problems;
};

struct QueueKindDef {
  std::string name;
  std::string description;
  std::vector<ConfigKey> config_keys;  ///< besides "kind"
  std::function<PreparedQueue(const Json& config, const QueueNodeInfo& node)> prepare;
};

class QueueKindRegistry {
 public:
  void add(QueueKindDef def);
  const QueueKindDef* find(std::string_view name) const;
  std::vector<const QueueKindDef*> list() const;

  /// Checks a node's `queue` value ({"kind": ..., ...}; null means fifo): the kind
  /// exists, config keys are known, then the kind's own checks.
  PreparedQueue prepare(const Json& queue, const QueueNodeInfo& node) const;

 private:
  std::map<std::string, QueueKindDef, std::less<>> kinds_;
};

/// fifo, batch, zip and preload.
const QueueKindRegistry& builtin_queue_kinds();

}  // namespace agdf::engine
