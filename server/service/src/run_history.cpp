#include "agdf/service/run_history.hpp"

#include <pthread.h>

#include <boost/asio/post.hpp>

#include "agdf/service/log.hpp"
#include "agdf/store/sqlite_store.hpp"

namespace agdf::service {

RunHistory::RunHistory(const HistoryOptions& options, const std::filesystem::path& data_dir) {
  if (auto problem = store::check_layout(options.state_dir, data_dir))
    throw store::StoreError(*problem);
  dir_ = std::make_unique<store::StateDir>(options.state_dir);
  database_ = dir_->database();
  store_ = store::open_sqlite_store({.file = database_, .full_sync = options.full_sync});
  loaded_ = store_->load();

  store::WriterOptions writer;
  writer.max_queued_bytes = options.queue_mb << 20;
  writer.max_events_per_run = options.max_events_per_run;
  writer.retention.max_runs = options.retain_runs;
  writer.retention.max_age_ms = static_cast<std::int64_t>(options.retain_days * 86'400'000.0);
  writer.prune_interval = std::chrono::milliseconds(
      std::max<std::int64_t>(static_cast<std::int64_t>(options.retain_interval_s * 1000), 1));
  writer.on_error = [](const std::string& error) {
    log(LogLevel::error, "run store write failed", {{"error", error}});
  };
  boost::asio::post(notifier_, [] { pthread_setname_np(pthread_self(), "agdf-store-tell"); });
  writer.deliver = [this](std::function<void()> notices) {
    boost::asio::post(notifier_, std::move(notices));
  };
  writer_ = std::make_unique<store::StoreWriter>(*store_, std::move(writer));
}

RunHistory::~RunHistory() {
  readers_.join();
  writer_.reset();  // its last notices go to the notifier
  notifier_.join();
}

std::optional<store::StoredRun> RunHistory::find(const std::string& id) {
  return store_->find_run(id);
}

store::RunPage RunHistory::list(const store::RunQuery& query) {
  writer_->flush();
  return store_->list_runs(query);
}

void RunHistory::read_events(std::uint64_t number, std::uint64_t from_seq, std::size_t max,
                             std::function<void(std::vector<v1::RunEvent>)> done) {
  boost::asio::post(readers_, [this, number, from_seq, max, done = std::move(done)] {
    std::vector<v1::RunEvent> events;
    try {
      events = store_->read_events(number, from_seq, max);
    } catch (const store::StoreError& e) {
      log(LogLevel::error, "run store read failed", {{"error", e.what()}});
    }
    done(std::move(events));
  });
}

}  // namespace agdf::service
