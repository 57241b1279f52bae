#include "remote_function.hpp"

#include "agdf/nodes/node_error.hpp"
#include "dispatcher.hpp"
#include "json_text.hpp"
#include "link.hpp"

namespace agdf::workers::detail {
namespace {

/// The type of a node error raised when no worker can run a call.
constexpr const char* kUnavailable = "WorkerUnavailable";

CallRequest make_request(const std::string& function, const std::string& node, Args args,
                         std::uint32_t window) {
  CallRequest request{function, node, "[", {}, window};
  for (std::size_t i = 0; i < args.size(); ++i) {
    if (i > 0) request.args_json += ',';
    if (is_worker_default(args[i])) {
      request.defaulted.push_back(static_cast<std::uint32_t>(i));
      request.args_json += "null";
    } else {
      append_json(request.args_json, args[i]);
    }
  }
  request.args_json += ']';
  return request;
}

/// Stops the call at its worker when the body ends before the call did (halt, cancel,
/// timeout, an emit that threw), and lets the next call of its lane forward.
class CallGuard {
 public:
  CallGuard(Dispatcher& dispatcher, std::shared_ptr<RemoteCall> call)
      : dispatcher_(dispatcher), call_(std::move(call)) {}
  CallGuard(const CallGuard&) = delete;
  CallGuard& operator=(const CallGuard&) = delete;
  ~CallGuard() {
    if (call_->released()) return;
    dispatcher_.abandon(call_);
    call_->release();
  }

 private:
  Dispatcher& dispatcher_;
  std::shared_ptr<RemoteCall> call_;
};

std::string worker_of(const RemoteCall& call) {
  return call.worker() ? "worker '" + *call.worker() + "'" : "the worker";
}

/// Forwards the call's yields downstream, in order, as they arrive; returns when the
/// worker reports the call ended, throws its error.
boost::asio::awaitable<void> forward(Dispatcher& dispatcher, NodeContext& ctx,
                                     const std::shared_ptr<RemoteCall>& call) {
  const std::uint32_t credit_every = std::max<std::uint32_t>(1, call->request().window / 2);
  std::uint32_t uncredited = 0;
  std::uint32_t credit_attempt = 0;
  for (;;) {
    if (!call->my_turn()) {
      co_await call->wait();
      continue;
    }
    if (auto text = call->take_item()) {
      if (credit_attempt != call->attempt()) credit_attempt = call->attempt(), uncredited = 0;
      JsonRead item = parse_json(*text);
      if (item.error)
        throw NodeError("ProtocolError", worker_of(*call) + " sent an item that is not JSON: " +
                                             item.error->to_string());
      co_await ctx.emit(std::move(item.value));
      if (++uncredited >= credit_every) {
        dispatcher.credit(*call, credit_attempt, uncredited);
        uncredited = 0;
      }
      continue;
    }
    if (call->finished()) {
      call->release();
      if (const auto& error = call->error()) throw NodeError(error->type, error->message);
      co_return;
    }
    if (const auto& give_up = call->give_up_at();
        give_up && std::chrono::steady_clock::now() >= *give_up) {
      if (dispatcher.withdraw(call)) {
        call->release();
        throw NodeError(kUnavailable, call->unserved_reason() + "; the call waited " +
                                          std::to_string(dispatcher.options().worker_wait.count()) +
                                          " ms for one");
      }
      call->keep_waiting();
      continue;
    }
    co_await call->wait();
  }
}

}  // namespace

boost::asio::awaitable<void> RemoteBody::operator()(NodeContext& ctx, Args args) const {
  // Copies: the body object may not outlive the first suspension.
  Dispatcher& d = *dispatcher;
  const auto function_name = function;
  const auto function_signature = signature;
  const std::size_t lane_count = lanes;
  std::shared_ptr<NodeLanes> node = node_lanes;

  auto call = std::make_shared<RemoteCall>(
      ctx.executor(), make_request(*function_name, ctx.node_name(), args, d.options().window));
  std::shared_ptr<Lane> own_lane;
  if (lane_count > 0 && !node)
    node = ctx.run_resource<NodeLanes>("agdf.workers.lanes/" + ctx.node_name());
  else if (lane_count == 0)
    own_lane = std::make_shared<Lane>(*function_name);
  CallGuard guard(d, call);
  if (auto problem = d.submit(call, own_lane, node.get(), lane_count, *function_signature)) {
    call->release();
    throw NodeError(kUnavailable, *problem);
  }
  co_await forward(d, ctx, call);
}

FunctionDef remote_function(Dispatcher& dispatcher, const Pool& pool) {
  FunctionDef def;
  def.name = pool.function;
  def.description = pool.description;
  def.params = pool.signature->engine_params();
  def.workers.emplace();
  for (const Link* link : pool.links) def.workers->push_back(*link->name);
  RemoteBody body{&dispatcher, std::make_shared<const std::string>(pool.function), pool.signature,
                  0};
  def.prepare = [body](const Json&) { return bind_without_config(body); };
  return def;
}

}  // namespace agdf::workers::detail
