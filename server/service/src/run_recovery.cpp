#include "run_recovery.hpp"

#include <ctime>

#include "agdf/service/convert.hpp"
#include "agdf/service/log.hpp"
#include "agdf/store/store_codec.hpp"
#include "prepared_run.hpp"

namespace agdf::service {

std::string interruption_failure(std::int64_t last_alive_unix_ms, std::int64_t now_unix_ms) {
  std::string failure = "interrupted: the daemon stopped while the run was running (";
  failure += last_alive_unix_ms > 0 ? "last sign of life " + utc_time(last_alive_unix_ms)
                                    : std::string("at an unknown time");
  failure += "); marked failed when the daemon restarted at " + utc_time(now_unix_ms);
  return failure;
}

Recovery plan_recovery(store::StoreState& loaded, std::int64_t now_unix_ms) {
  Recovery recovery;
  const std::string failure = interruption_failure(loaded.last_alive_unix_ms, now_unix_ms);
  for (store::UnfinishedRun& run : loaded.unfinished) {
    v1::RunInfo info = std::move(run.run.info);
    if (run.finished) {  // it did end; only its final state was not stored
      const v1::RunFinished& end = run.finished->finished();
      info.set_state(end.state());
      *info.mutable_stats() = end.stats();
      *info.mutable_exceptions() = end.exceptions();
      info.set_failure(end.failure());
      info.set_finished_unix_ms(run.finished->time_unix_ms());
      info.set_last_seq(run.last_seq);
      recovery.interrupted.changes.push_back(store::encode_change(run.run.number, info));
      continue;
    }
    if (info.state() == v1::RUN_STATE_QUEUED && run.last_seq == 0) {
      run.run.info = std::move(info);
      recovery.queued.push_back(std::move(run));
      continue;
    }
    if (run.last_stats) *info.mutable_stats() = run.last_stats->nodes();
    info.set_state(v1::RUN_STATE_FAILED);
    info.set_failure(failure);
    info.set_finished_unix_ms(now_unix_ms);
    info.set_last_seq(run.last_seq + 1);

    auto event = std::make_shared<v1::RunEvent>();
    event->set_run_id(info.run_id());
    event->set_seq(info.last_seq());
    event->set_time_unix_ms(now_unix_ms);
    v1::RunFinished* finished = event->mutable_finished();
    finished->set_state(v1::RUN_STATE_FAILED);
    *finished->mutable_stats() = info.stats();
    *finished->mutable_exceptions() = info.exceptions();
    finished->set_failure(failure);

    recovery.interrupted_ids.push_back(info.run_id());
    recovery.interrupted.chunks.push_back(store::single_event_chunk(run.run.number, *event));
    recovery.interrupted.changes.push_back(store::encode_change(run.run.number, info));
  }
  loaded.unfinished.clear();
  return recovery;
}

}  // namespace agdf::service

namespace agdf::service {

void recover_runs(RunHistory& history, RunManager& runs, const Registry& registry,
                  const ValidationContext& context) {
  store::StoreState loaded = history.take_loaded();
  const std::uint64_t max_number = loaded.max_number;
  log(LogLevel::info, "run history opened",
      {{"database", history.database().string()},
       {"runs", loaded.runs},
       {"unfinished", loaded.unfinished.size()}});
  const std::int64_t now = unix_ms_now();
  Recovery recovery = plan_recovery(loaded, now);

  std::vector<RestoredRun> restored;
  for (store::UnfinishedRun& queued : recovery.queued) {
    std::string problems;
    std::optional<PreparedRun> run = prepare_run(queued.submission, registry, context, problems);
    v1::RunInfo& info = queued.run.info;
    if (run) {
      restored.push_back({info.run_id(), queued.run.number, std::move(run->labels),
                          queued.submitter, info.submitted_unix_ms(), std::move(run->run)});
      continue;
    }
    // It was valid when it was submitted: functions or files have changed since.
    const std::string failure = "cannot run after the daemon restarted: " + problems;
    auto event = std::make_shared<v1::RunEvent>();
    event->set_run_id(info.run_id());
    event->set_seq(1);
    event->set_time_unix_ms(now);
    event->mutable_finished()->set_state(v1::RUN_STATE_FAILED);
    event->mutable_finished()->set_failure(failure);
    info.set_state(v1::RUN_STATE_FAILED);
    info.set_failure(failure);
    info.set_finished_unix_ms(now);
    info.set_last_seq(1);
    recovery.interrupted_ids.push_back(info.run_id());
    recovery.interrupted.chunks.push_back(store::single_event_chunk(queued.run.number, *event));
    recovery.interrupted.changes.push_back(store::encode_change(queued.run.number, info));
  }
  if (!recovery.interrupted.empty()) history.store().write(recovery.interrupted);
  for (const auto& id : recovery.interrupted_ids)
    log(LogLevel::warn, "run failed: interrupted by the restart", {{"run", id}});
  runs.restore(max_number, std::move(restored));
}

}  // namespace agdf::service
