#include "task_context.hpp"

#include "run.hpp"

namespace agdf::engine::detail {

boost::asio::awaitable<void> TaskContext::emit(Item item) {
  return run_.forward(*this, std::move(item));
}

void TaskContext::log(std::string line) {
  run_.observer_->on_log(node_.plan.spec.name, line);
}

const std::string& TaskContext::node_name() const noexcept {
  return node_.plan.spec.name;
}

boost::asio::any_io_executor TaskContext::executor() const {
  return run_.executor_;
}

boost::asio::any_io_executor TaskContext::blocking_executor() const {
  return run_.blocking_;
}

const std::filesystem::path& TaskContext::data_dir() const noexcept {
  return run_.options_.data_dir;
}

std::shared_ptr<void>& TaskContext::run_resource_slot(const std::string& key) {
  return run_.resources_[key];
}

}  // namespace agdf::engine::detail
