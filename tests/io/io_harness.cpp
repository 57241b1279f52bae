#include "io_harness.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <future>
#include <mutex>
#include <sstream>
#include <stdexcept>
#include <thread>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/thread_pool.hpp>

#include "agdf/engine/graph_file.hpp"
#include "agdf/nodes/builtin.hpp"
#include "agdf/nodes/registry.hpp"

namespace agdf::io_test {
namespace asio = boost::asio;
namespace fs = std::filesystem;

TempDir::TempDir() {
  std::string pattern = (fs::temp_directory_path() / "agdf-io-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  path_ = pattern;
}

TempDir::~TempDir() {
  std::error_code ec;
  fs::remove_all(path_, ec);
}

const engine::NodeReport& GraphRun::node(std::string_view name) const {
  for (const auto& n : result.nodes)
    if (n.name == name) return n;
  throw std::out_of_range("no node " + std::string(name));
}

std::vector<Item> GraphRun::outputs_of(std::string_view name) const {
  std::vector<Item> items;
  for (const auto& [node, item] : outputs)
    if (node == name) items.push_back(item);
  return items;
}

std::vector<std::string> GraphRun::logs_of(std::string_view name) const {
  std::vector<std::string> lines;
  for (const auto& [node, line] : logs)
    if (node == name) lines.push_back(line);
  return lines;
}

namespace {

/// Keeps what the run reports; called on the run's strand, read after on_finished.
class Recorder final : public engine::RunObserver {
 public:
  void on_log(const std::string& node, const std::string& line) override {
    run_.logs.emplace_back(node, line);
  }
  void on_output(const std::string& node, const Item& item) override {
    run_.outputs.emplace_back(node, item);
  }
  void on_finished(const engine::RunResult& result) override {
    run_.result = result;
    done_.set_value(std::move(run_));
  }

  std::future<GraphRun> result() { return done_.get_future(); }

 private:
  GraphRun run_;
  std::promise<GraphRun> done_;
};

class Running final : public RunningGraph {
 public:
  Running(std::shared_ptr<engine::RunHandle> handle, std::future<GraphRun> result)
      : handle_(std::move(handle)), result_(std::move(result)) {}

  void cancel() override { handle_->cancel(); }
  GraphRun wait() override {
    if (result_.wait_for(kRunTimeout) != std::future_status::ready) {
      ADD_FAILURE() << "the run did not finish within " << kRunTimeout.count() << " s";
      handle_->cancel();
    }
    return result_.get();
  }

 private:
  std::shared_ptr<engine::RunHandle> handle_;
  std::future<GraphRun> result_;
};

}  // namespace

struct IoEngine::Impl {
  explicit Impl(unsigned blocking_threads)
      : blocking(blocking_threads),
        work(io.get_executor()),
        engine(io.get_executor(), blocking.get_executor()) {
    register_builtin_nodes(registry);
    for (int i = 0; i < 2; ++i) threads.emplace_back([this] { io.run(); });
  }
  ~Impl() {
    work.reset();
    io.stop();
    for (auto& t : threads) t.join();
    blocking.join();
  }

  engine::Validation validate(const Json& graph, const fs::path& data_dir) {
    return engine::validate(engine::parse_graph(graph), registry, {.data_dir = data_dir});
  }

  Registry registry;
  asio::io_context io;
  asio::thread_pool blocking;
  asio::executor_work_guard<asio::io_context::executor_type> work;
  engine::Engine engine;
  std::vector<std::thread> threads;
};

IoEngine::IoEngine(unsigned blocking_threads) : impl_(std::make_unique<Impl>(blocking_threads)) {}
IoEngine::~IoEngine() = default;

std::vector<std::string> IoEngine::problems(const Json& graph, const fs::path& data_dir) {
  std::vector<std::string> out;
  for (const auto& p : impl_->validate(graph, data_dir).problems) out.push_back(p.to_string());
  return out;
}

std::shared_ptr<const engine::Plan> IoEngine::plan(const Json& graph, const fs::path& data_dir) {
  auto validation = impl_->validate(graph, data_dir);
  if (!validation.plan) {
    std::string all;
    for (const auto& p : validation.problems) all += "\n  " + p.to_string();
    throw std::invalid_argument("invalid graph:" + all);
  }
  return validation.plan;
}

std::unique_ptr<RunningGraph> IoEngine::start(std::shared_ptr<const engine::Plan> plan,
                                              std::vector<std::string> capture) {
  engine::RunOptions options;
  options.capture = std::move(capture);
  auto recorder = std::make_shared<Recorder>();
  auto result = recorder->result();
  auto handle = impl_->engine.start(std::move(plan), options, recorder);
  return std::make_unique<Running>(std::move(handle), std::move(result));
}

std::unique_ptr<RunningGraph> IoEngine::start(const Json& graph, const fs::path& data_dir,
                                              std::vector<std::string> capture) {
  return start(plan(graph, data_dir), std::move(capture));
}

GraphRun IoEngine::run(const Json& graph, const fs::path& data_dir,
                       std::vector<std::string> capture) {
  return start(graph, data_dir, std::move(capture))->wait();
}

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

void write_file(const fs::path& path, std::string_view content) {
  fs::create_directories(path.parent_path());
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << content;
}

}  // namespace agdf::io_test
