#include "agdf/engine/engine.hpp"

#include "run.hpp"

namespace agdf::engine {

Engine::Engine(boost::asio::any_io_executor work, boost::asio::any_io_executor blocking)
    : work_(std::move(work)), blocking_(std::move(blocking)) {}

std::shared_ptr<RunHandle> Engine::start(ValidatedRun run,
                                         std::vector<std::shared_ptr<RunObserver>> observers) {
  auto started =
      std::make_shared<detail::Run>(work_, blocking_, std::move(run), std::move(observers));
  started->start();
  return started;
}

std::shared_ptr<RunHandle> Engine::start(std::shared_ptr<const Plan> plan, RunOptions options,
                                         std::shared_ptr<RunObserver> observer) {
  std::vector<std::shared_ptr<RunObserver>> observers;
  if (observer) observers.push_back(std::move(observer));
  return start(ValidatedRun{std::move(plan), std::move(options)}, std::move(observers));
}

}  // namespace agdf::engine
