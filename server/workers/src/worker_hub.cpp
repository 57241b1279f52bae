#include "agdf/workers/worker_hub.hpp"

#include <condition_variable>

#include "agdf/v1/worker.grpc.pb.h"
#include "dispatcher.hpp"
#include "remote_function.hpp"
#include "worker_stream.hpp"

namespace agdf::workers {
namespace {

/// Limits of pipelining: a node asking for more tasks than this is left as it is.
constexpr std::int64_t kMaxPipelinedTasks = 1'000'000;

/// A stream refused before it started (no token, or one without the right).
class RefusedStream final : public grpc::ServerBidiReactor<v1::WorkerMessage, v1::DaemonMessage> {
 public:
  explicit RefusedStream(grpc::Status status) { Finish(std::move(status)); }
  void OnDone() override { delete this; }  // the callback API's contract
};

class WorkerService final : public v1::AgdfWorkers::CallbackService {
 public:
  WorkerService(detail::Dispatcher& dispatcher, const auth::CallAuthenticator* auth,
                const WorkerLog& log)
      : dispatcher_(dispatcher), auth_(auth), log_(log) {}

  grpc::ServerBidiReactor<v1::WorkerMessage, v1::DaemonMessage>* Connect(
      grpc::CallbackServerContext* context) override {
    if (auth_ != nullptr) {
      if (auto admission = auth_->admit(*context, "AgdfWorkers.Connect"); !admission) {
        if (log_)
          log_({true,
                "call refused",
                {{"rpc", "AgdfWorkers.Connect"},
                 {"peer", context->peer()},
                 {"code", admission.status.error_code() == grpc::StatusCode::UNAUTHENTICATED
                              ? "UNAUTHENTICATED"
                              : "PERMISSION_DENIED"},
                 {"reason", admission.status.error_message()}}});
        return new RefusedStream(std::move(admission.status));
      }
    }
    return new detail::WorkerStream(dispatcher_);
  }

 private:
  detail::Dispatcher& dispatcher_;
  const auth::CallAuthenticator* auth_;
  const WorkerLog& log_;
};

/// Often enough to send Work a busy worker has not answered within a few milliseconds.
std::chrono::milliseconds tick_period(const WorkerOptions& options) {
  return std::clamp(options.heartbeat_interval / 2, std::chrono::milliseconds(1),
                    std::chrono::milliseconds(5));
}

}  // namespace

WorkerHub::WorkerHub(Catalog& catalog, WorkerOptions options, boost::asio::any_io_executor executor,
                     WorkerLog log, const auth::CallAuthenticator* auth, WorkerEvents* events)
    : log_(std::move(log)),
      dispatcher_(std::make_unique<detail::Dispatcher>(catalog, options, std::move(executor), log_,
                                                       events)),
      service_(std::make_unique<WorkerService>(*dispatcher_, auth, log_)) {
  ticker_ = std::jthread([this, period = tick_period(options)](std::stop_token stop) {
    std::mutex mutex;
    std::condition_variable_any wake;
    std::unique_lock lock(mutex);
    while (!wake.wait_for(lock, stop, period, [] { return false; })) {
      if (stop.stop_requested()) break;
      dispatcher_->tick();
    }
  });
}

WorkerHub::~WorkerHub() {
  ticker_.request_stop();
  if (ticker_.joinable()) ticker_.join();
}

grpc::Service& WorkerHub::service() {
  return *service_;
}

std::shared_ptr<const engine::Plan> WorkerHub::pipeline(
    std::shared_ptr<const engine::Plan> plan) const {
  const std::uint32_t lookahead = dispatcher_->options().lookahead;
  if (!plan || lookahead == 0) return plan;
  std::shared_ptr<engine::Plan> changed;
  for (std::size_t i = 0; i < plan->nodes.size(); ++i) {
    const engine::PlannedNode& node = plan->nodes[i];
    const auto* body = node.function.body.target<detail::RemoteBody>();
    const std::int64_t lanes = node.spec.max_tasks;
    const std::int64_t per_lane =
        std::min<std::int64_t>(lookahead, std::max<std::int64_t>(0, kMaxQueuedPerNode / lanes - 1));
    // A node that halts the run keeps one call per task: with calls queued behind a
    // failing one, the worker could start them before the halt reaches it.
    const bool halts = plan->halt_on_exception || node.spec.halt_on_exception;
    if (body == nullptr || halts || node.spec.retry.attempts > 1 || node.spec.timeout_ms > 0 ||
        per_lane == 0 || lanes * (1 + per_lane) > kMaxPipelinedTasks)
      continue;
    if (!changed) changed = std::make_shared<engine::Plan>(*plan);
    engine::PlannedNode& out = changed->nodes[i];
    detail::RemoteBody laned = *body;
    laned.lanes = static_cast<std::size_t>(lanes);
    laned.node_lanes = std::make_shared<detail::NodeLanes>();
    out.function.body = laned;
    out.spec.max_tasks = lanes * (1 + per_lane);
  }
  return changed ? std::shared_ptr<const engine::Plan>(std::move(changed)) : plan;
}

std::size_t WorkerHub::connected() const {
  return dispatcher_->connected();
}

bool WorkerHub::wait_until_served(const std::vector<std::string>& functions,
                                  std::chrono::steady_clock::time_point deadline) const {
  for (;;) {
    if (dispatcher_->serves_all(functions)) return true;
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

void WorkerHub::close_all() {
  dispatcher_->close_all("the daemon is shutting down");
}

}  // namespace agdf::workers
