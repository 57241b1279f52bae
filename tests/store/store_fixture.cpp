#include "store/store_fixture.hpp"

namespace agdf::testing {
namespace {

std::string id_of(std::uint64_t number) {
  std::string id = "r";  // appended, not `"r" + ...`: GCC 12 warns wrongly about the latter
  id += std::to_string(number);
  return id;
}

}  // namespace

v1::RunInfo run_info(const std::string& id, v1::RunState state,
                     const std::map<std::string, std::string>& labels, std::int64_t finished_ms) {
  v1::RunInfo info;
  info.set_run_id(id);
  info.set_state(state);
  for (const auto& [key, value] : labels) (*info.mutable_labels())[key] = value;
  info.set_submitted_unix_ms(1'700'000'000'000);
  info.set_finished_unix_ms(finished_ms);
  return info;
}

store::NewRun new_run(std::uint64_t number, v1::RunState state,
                      const std::map<std::string, std::string>& labels) {
  v1::SubmitRunRequest submission;
  submission.mutable_definition()->set_graph_json(
      R"({"nodes": [{"name": "n", "function": "range", "config": {"stop": )" +
      std::to_string(number) + "}}]}");
  for (const auto& [key, value] : labels) (*submission.mutable_labels())[key] = value;
  return store::encode_new_run(number, run_info(id_of(number), state, labels), &submission);
}

store::RunChange finished_change(std::uint64_t number, v1::RunState state,
                                 std::int64_t finished_ms) {
  return store::encode_change(number, run_info(id_of(number), state, {}, finished_ms));
}

EventPtr output_event(std::uint64_t seq, const std::string& item_json) {
  auto event = std::make_shared<v1::RunEvent>();
  event->set_run_id("some-run-id");
  event->set_seq(seq);
  event->mutable_output()->set_node("n");
  event->mutable_output()->set_item_json(item_json);
  return event;
}

EventPtr stats_event(std::uint64_t seq, std::uint64_t out) {
  auto event = std::make_shared<v1::RunEvent>();
  event->set_run_id("some-run-id");
  event->set_seq(seq);
  auto* node = event->mutable_stats()->add_nodes();
  node->set_node("n");
  node->set_out(out);
  return event;
}

EventPtr finished_event(std::uint64_t seq, v1::RunState state) {
  auto event = std::make_shared<v1::RunEvent>();
  event->set_run_id("some-run-id");
  event->set_seq(seq);
  event->mutable_finished()->set_state(state);
  return event;
}

store::EventChunk chunk_of(std::uint64_t number, std::initializer_list<EventPtr> events) {
  store::EventChunk chunk;
  chunk.run = number;
  for (const auto& event : events) {
    if (chunk.first_seq == 0) chunk.first_seq = event->seq();
    chunk.last_seq = event->seq();
    store::append_to_chunk(chunk.events, store::encode_event(*event));
  }
  return chunk;
}

store::WriteBatch events_batch(std::uint64_t number, std::initializer_list<EventPtr> events) {
  store::WriteBatch batch;
  batch.chunks.push_back(chunk_of(number, events));
  return batch;
}

void StoreTest::reopen(store::SqliteOptions options) {
  store_.reset();
  options.file = file();
  store_ = store::open_sqlite_store(options);
}

}  // namespace agdf::testing
