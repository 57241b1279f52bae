#include "tbb_peer.hpp"

#include <chrono>
#include <memory>
#include <stdexcept>
#include <vector>

#include <tbb/flow_graph.h>
#include <tbb/task_arena.h>

#include "agdf/nodes/item.hpp"

namespace agdf::bench {
namespace {

namespace flow = tbb::flow;
using Clock = std::chrono::steady_clock;
using Relay = flow::function_node<Item, Item>;
using Sink = flow::function_node<Item, flow::continue_msg>;

std::size_t limit(TbbConcurrency concurrency) {
  return concurrency == TbbConcurrency::serial ? flow::serial : flow::unlimited;
}

/// A source of the integers 0 .. items-1, as Items.
flow::input_node<Item> make_source(flow::graph& g, std::int64_t items) {
  return flow::input_node<Item>(g, [items, next = std::int64_t{0}](tbb::flow_control& fc) mutable {
    if (next >= items) {
      fc.stop();
      return Item();
    }
    return Item(next++);
  });
}

Item relay_body(const Item& item) {
  return item;
}

auto sink_body(std::int64_t& received) {
  return [&received](const Item&) {
    ++received;
    return flow::continue_msg();
  };
}

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

}  // namespace

double tbb_linear_seconds(std::int64_t items, TbbConcurrency concurrency) {
  double seconds = 0;
  std::int64_t received = 0;
  tbb::task_arena arena(1);
  arena.execute([&] {
    flow::graph g;
    auto source = make_source(g, items);
    Relay relay(g, limit(concurrency), relay_body);
    Sink sink(g, limit(concurrency), sink_body(received));
    flow::make_edge(source, relay);
    flow::make_edge(relay, sink);
    const auto start = Clock::now();
    source.activate();
    g.wait_for_all();
    seconds = seconds_since(start);
  });
  if (received != items) throw std::logic_error("the oneTBB linear graph lost items");
  return seconds;
}

double tbb_fan_out_seconds(std::int64_t items, int width, TbbConcurrency concurrency) {
  double seconds = 0;
  std::int64_t received = 0;
  tbb::task_arena arena(1);
  arena.execute([&] {
    flow::graph g;
    auto source = make_source(g, items);
    flow::broadcast_node<Item> broadcast(g);
    std::vector<std::unique_ptr<Relay>> relays;
    std::vector<std::unique_ptr<Sink>> sinks;
    flow::make_edge(source, broadcast);
    for (int i = 0; i < width; ++i) {
      relays.push_back(std::make_unique<Relay>(g, limit(concurrency), relay_body));
      sinks.push_back(std::make_unique<Sink>(g, limit(concurrency), sink_body(received)));
      flow::make_edge(broadcast, *relays.back());
      flow::make_edge(*relays.back(), *sinks.back());
    }
    const auto start = Clock::now();
    source.activate();
    g.wait_for_all();
    seconds = seconds_since(start);
  });
  if (received != items * width) throw std::logic_error("the oneTBB fan-out graph lost items");
  return seconds;
}

}  // namespace agdf::bench
