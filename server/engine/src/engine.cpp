#include "agdf/engine/engine.hpp"

#include "run.hpp"

namespace agdf::engine {

Engine::Engine(boost::asio::any_io_executor work, boost::asio::any_io_executor blocking)
    : work_(std::move(work)), blocking_(std::move(blocking)) {}

std::shared_ptr<RunHandle> Engine::start(std::shared_ptr<const Plan> plan, RunOptions options,
                                         std::shared_ptr<RunObserver> observer) {
  auto run = std::make_shared<detail::Run>(work_, blocking_, std::move(plan), std::move(options),
                                           std::move(observer));
  run->start();
  return run;
}

}  // namespace agdf::engine
