#include "dispatcher.hpp"

#include <algorithm>
#include <iterator>

#include <boost/asio/post.hpp>

#include "link.hpp"
#include "remote_function.hpp"

namespace agdf::workers::detail {
namespace {

constexpr std::size_t kMaxErrorType = 200;
/// How long Work waits for the worker to answer the previous Work before it goes anyway.
constexpr std::chrono::milliseconds kWorkPatience{2};
constexpr std::size_t kMaxErrorMessage = 64 * 1024;

std::string quoted_names(const std::vector<Link*>& links) {
  std::string out;
  for (const Link* link : links) out += (out.empty() ? "'" : ", '") + *link->name + "'";
  return out;
}

}  // namespace

Dispatcher::Dispatcher(Catalog& catalog, WorkerOptions options,
                       boost::asio::any_io_executor executor, WorkerLog log, WorkerEvents* events)
    : catalog_(catalog),
      options_(options),
      executor_(std::move(executor)),
      log_(std::move(log)),
      events_(events) {}

Dispatcher::~Dispatcher() = default;

// ---- streams -------------------------------------------------------------------

std::shared_ptr<Link> Dispatcher::open(WorkerStream* stream) {
  std::lock_guard lock(mutex_);
  auto link = std::make_shared<Link>("w" + std::to_string(next_link_++), stream, executor_);
  links_.insert(link);
  return link;
}

bool Dispatcher::on_message(const std::shared_ptr<Link>& link, v1::WorkerMessage& message) {
  link->last_heard_ms = steady_ms();
  After after;
  bool keep_reading = true;
  {
    std::lock_guard lock(mutex_);
    if (link->lost) return false;
    switch (message.kind_case()) {
      case v1::WorkerMessage::kRegister:
        if (link->registered)
          protocol_error(link, "register was sent twice", after);
        else
          on_register(link, message.register_(), after);
        break;
      case v1::WorkerMessage::kResults:
        if (!link->registered)
          protocol_error(link, "results came before register", after);
        else
          on_results(link, *message.mutable_results(), after);
        break;
      case v1::WorkerMessage::kHeartbeat:
        break;
      default:
        protocol_error(link, "a message with no kind set", after);
    }
    keep_reading = !link->lost;
  }
  run(after);
  link->heard();
  return keep_reading;
}

void Dispatcher::on_closed(const std::shared_ptr<Link>& link, const std::string& why,
                           bool graceful) {
  After after;
  {
    std::lock_guard lock(mutex_);
    lose(link, why, after, graceful);
    links_.erase(link);
  }
  run(after);
}

void Dispatcher::on_register(const std::shared_ptr<Link>& link, const v1::Register& message,
                             After& after) {
  auto read = read_registration(message, options_);
  if (auto* why = std::get_if<std::string>(&read)) return refuse(link, *why, after);
  Registration& registration = std::get<Registration>(read);
  for (const FunctionRegistration& f : registration.functions) {
    if (catalog_.is_fixed(f.name))
      return refuse(link, "function '" + f.name + "' is a built-in function of the daemon", after);
    auto pool = pools_.find(f.name);
    if (pool == pools_.end() || *pool->second.signature == f.signature) continue;
    const Pool& p = pool->second;
    std::string served = p.links.empty()
                             ? "was served until recently, and calls may still wait for it,"
                             : "is served by " + quoted_names(p.links);
    return refuse(link,
                  "function '" + f.name + "' " + served + " with the parameters " +
                      p.signature->describe() + "; this worker declares " + f.signature.describe(),
                  after);
  }

  link->name = std::make_shared<const std::string>(registration.worker_name);
  link->registered = true;
  if (events_) events_->worker_connected();
  v1::DaemonMessage reply;
  auto* registered = reply.mutable_registered();
  registered->set_worker_id(link->id);
  registered->set_heartbeat_interval_ms(
      static_cast<std::uint32_t>(options_.heartbeat_interval.count()));
  registered->set_heartbeat_timeout_ms(
      static_cast<std::uint32_t>(options_.heartbeat_timeout.count()));
  registered->set_max_calls_per_lane(1 + options_.lookahead);

  // The functions are in the catalog before the worker hears it is registered: a worker
  // that submits a graph of its functions on Registered (AsyncExecutor.execute) must find
  // them. Calls waiting for these functions go out after the reply.
  std::string names;
  std::vector<Pool*> joined;
  for (FunctionRegistration& f : registration.functions) {
    names += (names.empty() ? "" : ",") + f.name;
    link->functions[f.name].concurrency = f.concurrency;
    Pool& pool = pool_for(f.name, f.signature);
    if (pool.description.empty()) pool.description = f.description;
    pool.links.push_back(link.get());
    publish(pool);
    joined.push_back(&pool);
  }
  link->send(std::move(reply));
  for (Pool* pool : joined) fill(*link, *pool);
  after.logs.push_back({false,
                        "worker registered",
                        {{"worker", *link->name}, {"id", link->id}, {"functions", names}}});
}

void Dispatcher::on_results(const std::shared_ptr<Link>& link, v1::Results& results, After& after) {
  // The calls of one message ended at about the same time; their errors are handed on
  // after the others' yields, so an error that halts the run does not discard what
  // another call finished alongside it (as an in-process run would have forwarded it).
  std::vector<Post> failed;
  const int entries = results.call_ids_size();
  if (results.item_counts_size() != entries || results.ended_size() != entries)
    return protocol_error(link, "call_ids, item_counts and ended differ in length", after);
  std::int64_t counted = 0;
  for (std::uint32_t n : results.item_counts()) counted += n;
  if (counted != results.items_json_size())
    return protocol_error(link, "item_counts do not add up to the items sent", after);
  auto* items = results.mutable_items_json();
  for (int i = 0, next = 0; i < entries; next += static_cast<int>(results.item_counts(i)), ++i)
    if (!take(link, results.call_ids(i), *items, next, static_cast<int>(results.item_counts(i)),
              results.ended(i), nullptr, after, failed))
      return;
  for (v1::CallOutput& out : *results.mutable_outputs())
    if (!take(link, out.call_id(), *out.mutable_items_json(), 0, out.items_json_size(), out.done(),
              out.done() && out.has_error() ? &out.error() : nullptr, after, failed))
      return;
  for (Post& post : failed) after.posts.push_back(std::move(post));
}

bool Dispatcher::take(const std::shared_ptr<Link>& link, std::uint64_t call_id,
                      google::protobuf::RepeatedPtrField<std::string>& items, int first, int count,
                      bool done, const v1::CallError* error, After& after,
                      std::vector<Post>& failed) {
  auto it = link->calls.find(call_id);
  if (it == link->calls.end()) return true;  // ended or taken back already
  std::shared_ptr<RemoteCall> call = it->second;
  call->at.received += count;
  if (call->at.received > call->at.granted) {
    protocol_error(
        link,
        "call " + std::to_string(call_id) + " yielded more items than its window and credits allow",
        after);
    return false;
  }
  if (!call->at.abandoned) {
    Delivery delivery;
    delivery.attempt = call->at.attempt;
    delivery.items.reserve(static_cast<std::size_t>(count));
    for (int i = first; i < first + count; ++i) delivery.items.push_back(std::move(items[i]));
    delivery.done = done;
    if (error != nullptr) {
      CallError e{error->type(), error->message()};
      if (e.type.empty()) e.type = "Exception";
      if (e.type.size() > kMaxErrorType) e.type.resize(kMaxErrorType);
      if (e.message.size() > kMaxErrorMessage) e.message.resize(kMaxErrorMessage);
      delivery.error = std::move(e);
    }
    delivery.worker = link->name;
    (delivery.error ? failed : after.posts).push_back({call, std::move(delivery)});
  }
  if (done) call_ended(*link, *call);
  return true;
}

void Dispatcher::protocol_error(const std::shared_ptr<Link>& link, const std::string& what,
                                After& after) {
  v1::DaemonMessage message;
  message.mutable_error()->set_message("protocol error: " + what);
  link->send(std::move(message));
  after.logs.push_back({true,
                        "worker protocol error",
                        {{"worker", link->name ? *link->name : link->id}, {"error", what}}});
  // Before lose(): the first status a link is finished with wins.
  after.finishes.push_back({link, {grpc::StatusCode::INVALID_ARGUMENT, "protocol error: " + what}});
  lose(link, "protocol error: " + what, after);
}

void Dispatcher::refuse(const std::shared_ptr<Link>& link, const std::string& why, After& after) {
  v1::DaemonMessage message;
  message.mutable_refused()->set_reason(why);
  link->send(std::move(message));
  after.logs.push_back({true, "worker refused", {{"reason", why}}});
  after.finishes.push_back({link, {grpc::StatusCode::FAILED_PRECONDITION, why}});
  lose(link, "refused: " + why, after);
}

void Dispatcher::lose(const std::shared_ptr<Link>& shared, const std::string& why, After& after,
                      bool graceful) {
  Link& link = *shared;
  if (link.lost) return;
  link.lost = true;
  after.finishes.push_back({shared, {grpc::StatusCode::UNAVAILABLE, why}});
  if (!link.registered) return;

  after.logs.push_back({!graceful || !link.calls.empty(),
                        graceful ? "worker disconnected" : "worker lost",
                        {{"worker", *link.name},
                         {"id", link.id},
                         {"why", why},
                         {"calls_in_progress", std::to_string(link.calls.size())}}});
  for (const auto& [function, slots] : link.functions) {
    Pool& pool = pools_.at(function);
    std::erase(pool.links, &link);
    if (pool.links.empty()) {
      pool.empty_since = Clock::now();
      pool.why_empty = "its last worker '" + *link.name + "' was lost (" + why + ")";
    }
    publish(pool);
  }
  if (events_) {
    events_->worker_disconnected();
    for (const auto& [id, call] : link.calls)
      events_->calls_at_workers(call->request().function, -1);
  }
  // Every call in progress there goes to another worker of its pool, or waits for one.
  auto lanes = std::move(link.lanes);
  link.lanes.clear();
  link.calls.clear();
  for (const auto& lane : lanes) {
    lane->link = nullptr;
    std::erase_if(lane->calls, [](const auto& call) { return call->at.abandoned; });
    for (const auto& call : lane->calls) call->at.link = nullptr;
    if (lane->calls.empty()) continue;
    Pool& pool = pools_.at(lane->function);
    if (!bind(lane, pool)) wait_for_worker(lane, pool, after);
  }
}

// ---- calls -----------------------------------------------------------------------

std::optional<std::string> Dispatcher::submit(const std::shared_ptr<RemoteCall>& call,
                                              const std::shared_ptr<Lane>& own_lane,
                                              NodeLanes* node, std::size_t lanes,
                                              const Signature& signature) {
  After after;
  {
    std::lock_guard lock(mutex_);
    Pool& pool = pool_for(call->request().function, signature);
    if (pool.signature.get() != &signature && *pool.signature != signature)
      return "function '" + pool.function + "' is now served with the parameters " +
             pool.signature->describe() + ", not " + signature.describe() +
             " as when the graph was submitted";

    std::shared_ptr<Lane> lane = own_lane;
    if (node != nullptr) {
      while (node->lanes.size() < lanes)
        node->lanes.push_back(std::make_shared<Lane>(call->request().function));
      lane = *std::min_element(
          node->lanes.begin(), node->lanes.end(),
          [](const auto& a, const auto& b) { return a->calls.size() < b->calls.size(); });
    }
    call->at.lane = lane.get();
    if (!lane->calls.empty()) call->after(lane->calls.back());
    lane->calls.push_back(call);
    if (lane->link != nullptr) {
      assign(call, *lane->link, *lane);
    } else if (!lane->waiting) {
      if (!bind(lane, pool)) wait_for_worker(lane, pool, after);
    } else if (pool.links.empty()) {
      after.notices.push_back(
          {call, "no worker serves function '" + pool.function + "': " + pool.why_empty});
    }
  }
  run(after);
  return std::nullopt;
}

void Dispatcher::credit(RemoteCall& call, std::uint32_t attempt, std::uint32_t items) {
  std::lock_guard lock(mutex_);
  if (call.at.done || call.at.abandoned || call.at.link == nullptr || call.at.attempt != attempt)
    return;
  call.at.granted += items;
  const std::uint64_t id = call.at.wire_id;
  call.at.link->add_work([&](v1::Work& work) {
    auto* credit = work.add_credits();
    credit->set_call_id(id);
    credit->set_items(items);
  });
}

void Dispatcher::abandon(const std::shared_ptr<RemoteCall>& call) {
  std::lock_guard lock(mutex_);
  if (call->at.done || call->at.abandoned) return;
  call->at.abandoned = true;
  if (Link* link = call->at.link) {
    // It stays in its lane until the worker reports it ended, so the worker never runs
    // more calls at once than it registered.
    const std::uint64_t id = call->at.wire_id;
    link->add_work([id](v1::Work& work) { work.add_cancel(id); });
    return;
  }
  call->at.done = true;
  if (Lane* lane = call->at.lane) std::erase(lane->calls, call);
}

bool Dispatcher::withdraw(const std::shared_ptr<RemoteCall>& call) {
  std::lock_guard lock(mutex_);
  if (call->at.link != nullptr || call->at.done) return false;
  call->at.done = true;
  if (Lane* lane = call->at.lane) std::erase(lane->calls, call);
  return true;
}

// ---- lanes and workers (mutex held) ----------------------------------------------------

Pool& Dispatcher::pool_for(const std::string& function, const Signature& signature) {
  auto it = pools_.find(function);
  if (it != pools_.end()) return it->second;
  Pool& pool = pools_[function];
  pool.function = function;
  pool.signature = std::make_shared<const Signature>(signature);
  pool.empty_since = Clock::now();
  pool.why_empty = "no worker has connected since";
  publish(pool);
  return pool;
}

bool Dispatcher::bind(const std::shared_ptr<Lane>& lane, Pool& pool) {
  Link* best = nullptr;
  std::uint32_t best_free = 0;
  for (Link* link : pool.links) {
    const Link::Slots& slots = link->functions.at(pool.function);
    const std::uint32_t free = slots.concurrency - std::min(slots.busy, slots.concurrency);
    if (free > best_free) best = link, best_free = free;
  }
  if (best == nullptr) return false;
  bind_to(*best, lane);
  return true;
}

void Dispatcher::bind_to(Link& link, const std::shared_ptr<Lane>& lane) {
  lane->link = &link;
  lane->wire_lane = link.next_lane_id++;
  lane->waiting = false;
  ++link.functions.at(lane->function).busy;
  link.lanes.push_back(lane);
  for (const auto& call : lane->calls) assign(call, link, *lane);
}

void Dispatcher::assign(const std::shared_ptr<RemoteCall>& call, Link& link, const Lane& lane) {
  RemoteCall::Placement& at = call->at;
  at.link = &link;
  at.wire_id = link.next_call_id++;
  ++at.attempt;
  at.granted = options_.window;
  at.received = 0;
  link.calls.emplace(at.wire_id, call);
  const CallRequest& request = call->request();
  if (events_) events_->calls_at_workers(request.function, +1);
  link.add_work([&](v1::Work& work) {
    work.add_call_ids(at.wire_id);
    work.add_functions(request.function);
    work.add_nodes(request.node);
    work.add_args_json(request.args_json);
    work.add_lanes(lane.wire_lane);
    work.add_defaulted_counts(static_cast<std::uint32_t>(request.defaulted.size()));
    for (std::uint32_t i : request.defaulted) work.add_defaulted(i);
    work.set_window(options_.window);
  });
}

void Dispatcher::unbind(Lane& lane) {
  Link& link = *lane.link;
  --link.functions.at(lane.function).busy;
  std::erase_if(link.lanes, [&](const auto& l) { return l.get() == &lane; });
  lane.link = nullptr;
}

void Dispatcher::fill(Link& link, Pool& pool) {
  const Link::Slots& slots = link.functions.at(pool.function);
  while (slots.busy < slots.concurrency && !pool.waiting.empty()) {
    std::shared_ptr<Lane> lane = std::move(pool.waiting.front());
    pool.waiting.pop_front();
    lane->waiting = false;
    if (!lane->calls.empty()) bind_to(link, lane);
  }
}

void Dispatcher::wait_for_worker(const std::shared_ptr<Lane>& lane, Pool& pool, After& after) {
  lane->waiting = true;
  pool.waiting.push_back(lane);
  if (!pool.links.empty()) return;  // busy workers: it waits its turn, without a limit
  const std::string why = "no worker serves function '" + pool.function + "': " + pool.why_empty;
  for (const auto& call : lane->calls) after.notices.push_back({call, why});
}

void Dispatcher::call_ended(Link& link, RemoteCall& call) {
  call.at.done = true;
  if (link.calls.erase(call.at.wire_id) != 0 && events_)
    events_->calls_at_workers(call.request().function, -1);
  Lane& lane = *call.at.lane;
  if (!lane.calls.empty() && lane.calls.front().get() == &call)
    lane.calls.pop_front();  // the usual case: a lane's calls end in order
  else
    std::erase_if(lane.calls, [&](const auto& c) { return c.get() == &call; });
  if (!lane.calls.empty() || lane.link != &link) return;
  unbind(lane);
  fill(link, pools_.at(lane.function));
}

void Dispatcher::publish(const Pool& pool) {
  catalog_.put(remote_function(*this, pool));
}

// ---- housekeeping ------------------------------------------------------------------

void Dispatcher::tick() {
  After after;
  {
    std::lock_guard lock(mutex_);
    const std::int64_t now_ms = steady_ms();
    for (const auto& link : links_) {
      if (link->lost) continue;
      if (now_ms - link->last_heard_ms.load() > options_.heartbeat_timeout.count())
        lose(link,
             "no message for " + std::to_string(options_.heartbeat_timeout.count()) +
                 " ms (heartbeat timeout)",
             after);
      else if (link->registered) {
        link->flush_if_waiting(kWorkPatience);
        link->heartbeat_if_idle(options_.heartbeat_interval);
      }
    }
    const auto now = Clock::now();
    for (auto it = pools_.begin(); it != pools_.end();) {
      Pool& pool = it->second;
      std::erase_if(pool.waiting, [](const auto& lane) { return lane->calls.empty(); });
      if (pool.links.empty() && pool.waiting.empty() &&
          now - pool.empty_since >= options_.worker_wait) {
        catalog_.remove(pool.function);
        it = pools_.erase(it);
      } else {
        ++it;
      }
    }
  }
  run(after);
}

void Dispatcher::close_all(const std::string& why) {
  After after;
  {
    std::lock_guard lock(mutex_);
    for (const auto& link : links_) lose(link, why, after);
  }
  run(after);
}

std::size_t Dispatcher::connected() const {
  std::lock_guard lock(mutex_);
  return static_cast<std::size_t>(std::ranges::count_if(
      links_, [](const auto& link) { return link->registered && !link->lost; }));
}

bool Dispatcher::serves_all(const std::vector<std::string>& names) const {
  std::lock_guard lock(mutex_);
  return std::ranges::all_of(names, [&](const std::string& name) {
    auto it = pools_.find(name);
    return it != pools_.end() && !it->second.links.empty();
  });
}

void Dispatcher::run(After& after) {
  for (auto& event : after.logs)
    if (log_) log_(event);
  for (auto& [link, status] : after.finishes) link->finish(std::move(status));
  // One handler per run (strand) and message rather than per call: a message carries the
  // ends of many calls of the same nodes, and every post may wake a thread.
  for (std::size_t first = 0; first < after.posts.size();) {
    auto strand = after.posts[first].call->strand();
    std::size_t last = first + 1;
    while (last < after.posts.size() && after.posts[last].call->strand() == strand) ++last;
    std::vector<Post> batch(std::make_move_iterator(after.posts.begin() + first),
                            std::make_move_iterator(after.posts.begin() + last));
    boost::asio::post(strand, [this, strand, batch = std::move(batch)]() mutable {
      ResumeBatch resumptions(strand);
      for (auto& [call, delivery] : batch)
        if (std::uint32_t dropped = call->deliver(std::move(delivery)))
          credit(*call, call->attempt(), dropped);
    });
    first = last;
  }
  for (auto& [call, why] : after.notices) {
    auto strand = call->strand();
    boost::asio::post(strand, [this, call = std::move(call), why = std::move(why)]() mutable {
      call->unserved(options_.worker_wait, std::move(why));
    });
  }
}

}  // namespace agdf::workers::detail
