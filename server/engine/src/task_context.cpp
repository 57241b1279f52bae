#include "task_context.hpp"

#include "node_state.hpp"
#include "router.hpp"

namespace agdf::engine::detail {

void TaskContext::start_emit(Emission& emission) {
  if (run_.stopping) {
    emission.error = std::make_exception_ptr(RunStopping{});
    return run_.scheduler.ready(emission, /*front=*/true);
  }
  // An earlier attempt of this call forwarded it already (retry policy).
  if (emitted_++ < replay_) return run_.scheduler.ready(emission, /*front=*/true);
  ++node_.stats.out;
  if (node_.capture) run_.observers.on_output(node_.name(), emission.item);
  run_.router.send(node_, emission);
}

void TaskContext::log(std::string line) {
  run_.observers.on_log(node_.name(), line);
}

const std::string& TaskContext::node_name() const noexcept {
  return node_.name();
}

}  // namespace agdf::engine::detail
