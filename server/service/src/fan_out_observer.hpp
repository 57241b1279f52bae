#pragma once
// Hands everything a run reports to two observers, first to `first`. A stopgap until
// the engine takes several observers per run itself.

#include <memory>

#include "agdf/engine/run_observer.hpp"

namespace agdf::service {

class FanOutObserver final : public engine::RunObserver {
 public:
  FanOutObserver(std::shared_ptr<engine::RunObserver> first,
                 std::shared_ptr<engine::RunObserver> second)
      : first_(std::move(first)), second_(std::move(second)) {}

  void on_started(std::span<const engine::StartCall> starts) override {
    first_->on_started(starts);
    second_->on_started(starts);
  }
  void on_stats(std::span<const engine::NodeSnapshot> nodes) override {
    first_->on_stats(nodes);
    second_->on_stats(nodes);
  }
  void on_node_error(const std::string& node, const engine::ErrorRecord& error) override {
    first_->on_node_error(node, error);
    second_->on_node_error(node, error);
  }
  void on_retry(const std::string& node, std::int64_t attempt, const engine::ErrorRecord& error,
                std::chrono::milliseconds delay) override {
    first_->on_retry(node, attempt, error, delay);
    second_->on_retry(node, attempt, error, delay);
  }
  void on_log(const std::string& node, const std::string& line) override {
    first_->on_log(node, line);
    second_->on_log(node, line);
  }
  void on_output(const std::string& node, const Item& item) override {
    first_->on_output(node, item);
    second_->on_output(node, item);
  }
  void on_finished(const engine::RunResult& result) override {
    first_->on_finished(result);
    second_->on_finished(result);
  }

 private:
  std::shared_ptr<engine::RunObserver> first_;
  std::shared_ptr<engine::RunObserver> second_;
};

}  // namespace agdf::service
