#include <chrono>

#include "agdf/engine/graph_bounds.hpp"
#include "queue_kinds.hpp"

namespace agdf::engine::queue_kinds {
namespace {

using Clock = std::chrono::steady_clock;

/// A batch is one item holding `size` items: as large as a node's queue may be.
constexpr std::int64_t kMaxBatchSize = bounds::kQueueSize;

/// Groups items into lists of `size`. A partial batch goes out when every upstream
/// producer has finished (no end-of-data marker needed) or, with max_wait, when its
/// oldest item has waited that long.
class Batch final : public QueueBehaviour {
 public:
  Batch(std::size_t size, std::chrono::milliseconds max_wait) : size_(size), max_wait_(max_wait) {}

  void push(std::size_t, Item item, QueueSink& sink) override {
    if (held_.empty()) {
      oldest_ = Clock::now();
      if (max_wait_.count() > 0) sink.wake_after(max_wait_);
    }
    held_.push_back(std::move(item));
    if (held_.size() >= size_) flush(sink);
  }

  void sources_finished(QueueSink& sink) override { flush(sink); }

  void on_timer(QueueSink& sink) override {
    if (held_.empty()) return;
    const auto waited = Clock::now() - oldest_;
    if (waited >= max_wait_)
      flush(sink);
    else
      sink.wake_after(std::chrono::ceil<std::chrono::milliseconds>(max_wait_ - waited));
  }

 private:
  void flush(QueueSink& sink) {
    if (held_.empty()) return;
    const std::size_t used = held_.size();
    sink.deliver(Item(std::move(held_)), used);
    held_ = Json::array_t{};
  }

  std::size_t size_;
  std::chrono::milliseconds max_wait_;
  Json::array_t held_;
  Clock::time_point oldest_;
};

}  // namespace

void register_batch(QueueKindRegistry& registry) {
  registry.add({
      .name = "batch",
      .description = "Groups incoming items into lists of `size`; flushes a partial batch when "
                     "every upstream producer has finished, or after `max_wait_ms`.",
      .config_keys = {{"size", "items per batch (>= 1)", 4, true},
                      {"max_wait_ms", "flush a partial batch once its oldest item waited this long",
                       500, false},
                      {"preload", "items placed in the queue at the start", Json::array(), false}},
      .prepare =
          [](const Json& config, const QueueNodeInfo&) {
            PreparedQueue out;
            ConfigReader reader(config, "queue.");
            auto size = reader.get<std::int64_t>("size", 1, "an integer");
            auto max_wait = reader.get_milliseconds("max_wait_ms", std::chrono::milliseconds(0));
            out.preload = reader.get<Json::array_t>("preload", {}, "an array");
            if (size < 1) reader.problem("queue.size must be at least 1");
            if (size > kMaxBatchSize)
              reader.problem("queue.size must be at most " + std::to_string(kMaxBatchSize));
            out.problems = std::move(reader.problems());
            out.make = [size, max_wait] {
              return std::make_unique<Batch>(static_cast<std::size_t>(size),
                                             clamp_duration(max_wait));
            };
            return out;
          },
  });
}

}  // namespace agdf::engine::queue_kinds
