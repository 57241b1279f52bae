#include "one_shot_run.hpp"

#include <functional>
#include <iostream>
#include <optional>
#include <thread>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/thread_pool.hpp>

#include "agdf/engine/engine.hpp"
#include "agdf/engine/graph_file.hpp"
#include "agdf/engine/validate.hpp"
#include "agdf/nodes/builtin.hpp"
#include "agdf/nodes/catalog.hpp"
#include "result_json.hpp"
#include "result_table.hpp"
#include "worker_side.hpp"

namespace agdf::server {
namespace {

/// Prints node log lines and errors to stderr as they happen; keeps the result.
class ConsoleObserver final : public engine::RunObserver {
 public:
  explicit ConsoleObserver(std::function<void()> on_done) : on_done_(std::move(on_done)) {}

  void on_log(const std::string& node, const std::string& line) override {
    std::cerr << "[" << node << "] " << line << "\n";
  }
  void on_retry(const std::string& node, std::int64_t attempt, const engine::ErrorRecord& error,
                std::chrono::milliseconds delay) override {
    std::cerr << "[" << node << "] attempt " << attempt << " failed (" << error.type << ": "
              << error.message << "); retrying in " << delay.count() << " ms\n";
  }
  void on_finished(const engine::RunResult& result) override {
    result_ = result;
    on_done_();
  }

  const engine::RunResult& result() const { return result_; }

 private:
  std::function<void()> on_done_;
  engine::RunResult result_;
};

int exit_code(engine::RunStatus status) {
  switch (status) {
    case engine::RunStatus::completed:
      return kExitCompleted;
    case engine::RunStatus::halted:
      return kExitHalted;
    case engine::RunStatus::cancelled:
      return kExitCancelled;
    default:
      return kExitFailed;
  }
}

int report_problems(const engine::Problems& problems) {
  std::cerr << engine::describe_problems(problems) << "\n";
  return kExitInvalidGraph;
}

}  // namespace

int run_one_shot(const OneShotOptions& options) {
  Registry builtins;
  register_builtin_nodes(builtins);
  Catalog catalog(std::move(builtins));
  engine::ParsedGraph parsed = engine::load_graph_file(options.graph_file);

  boost::asio::io_context io(static_cast<int>(options.threads));
  boost::asio::thread_pool blocking(2);
  engine::Engine engine(io.get_executor(), blocking.get_executor());
  std::optional<WorkerSide> workers;  // after io: worker calls hold timers of its strands
  if (!options.worker_commands.empty()) {
    workers.emplace(catalog, options.workers, options.worker_commands, io.get_executor());
    for (const auto& name : workers->wait_for_functions(parsed))
      std::cerr << "no worker registered function '" << name << "' within "
                << options.workers.worker_wait.count() << " ms\n";
  }
  auto validation = engine::validate(parsed, *catalog.snapshot(), {.data_dir = options.data_dir});
  if (!validation.plan) return report_problems(validation.problems);
  if (workers) validation.plan = workers->hub().pipeline(std::move(validation.plan));

  boost::asio::signal_set signals(io, SIGINT, SIGTERM);
  // Once the run is over, stop waiting for signals so io.run() can return.
  auto observer = std::make_shared<ConsoleObserver>(
      [&] { boost::asio::post(io, [&signals] { signals.cancel(); }); });
  auto run = engine.start(validation.plan, engine::RunOptions(), observer);
  signals.async_wait([run](boost::system::error_code ec, int) {
    if (!ec) run->cancel();
  });

  std::vector<std::thread> extra;
  for (unsigned i = 1; i < options.threads; ++i) extra.emplace_back([&io] { io.run(); });
  io.run();
  for (auto& t : extra) t.join();
  blocking.join();
  if (workers) workers->stop();

  const engine::RunResult& result = observer->result();
  if (options.json)
    std::cout << result_json(result).dump() << std::endl;
  else
    print_result_table(std::cout, result);
  return exit_code(result.status);
}

}  // namespace agdf::server
