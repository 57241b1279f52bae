// The reading half: a run by id, pages of runs, a run's events. Any thread.
#include <limits>

#include "sqlite_store.hpp"

namespace agdf::store::sqlite {
namespace {

/// The SQL for one shape of query (which filters are set), driven by the most selective
/// index available: the first label's, else the submitter's, else the state's, else the
/// run number itself. Parameters in order: the driver's, `before`, the rest, the limit.
std::string list_sql(const RunQuery& query) {
  std::string sql = "SELECT r.number, r.info FROM ";
  std::string where;
  std::string order;
  std::size_t other_labels = 0;
  if (!query.labels.empty()) {
    // CROSS JOIN keeps the label index on the outside: newest matching runs first.
    sql += "labels l CROSS JOIN runs r ON r.number = l.run";
    where = " WHERE l.key = ? AND l.value = ? AND l.run < ?";
    order = " ORDER BY l.run DESC";
    other_labels = query.labels.size() - 1;
    if (!query.submitter.empty()) where += " AND r.submitter = ?";
    if (query.state != v1::RUN_STATE_UNSPECIFIED) where += " AND r.state = ?";
  } else if (!query.submitter.empty()) {
    sql += "runs r";
    where = " WHERE r.submitter = ? AND r.number < ?";
    order = " ORDER BY r.number DESC";
    if (query.state != v1::RUN_STATE_UNSPECIFIED) where += " AND r.state = ?";
  } else if (query.state != v1::RUN_STATE_UNSPECIFIED) {
    sql += "runs r";
    where = " WHERE r.state = ? AND r.number < ?";
    order = " ORDER BY r.number DESC";
  } else {
    sql += "runs r";
    where = " WHERE r.number < ?";
    order = " ORDER BY r.number DESC";
  }
  for (std::size_t i = 0; i < other_labels; ++i)
    where +=
        " AND EXISTS (SELECT 1 FROM labels o WHERE o.run = r.number AND o.key = ? AND "
        "o.value = ?)";
  return sql + where + order + " LIMIT ?";
}

void bind_list(Query& q, const RunQuery& query) {
  int at = 0;
  auto bind = [&](auto value) { q.bind(++at, value); };
  const std::int64_t before = query.before == 0 ? std::numeric_limits<std::int64_t>::max()
                                                : static_cast<std::int64_t>(query.before);
  const auto state = static_cast<std::int64_t>(query.state);
  const bool by_state = query.state != v1::RUN_STATE_UNSPECIFIED;
  if (!query.labels.empty()) {
    bind(std::string_view(query.labels[0].first));
    bind(std::string_view(query.labels[0].second));
    bind(before);
    if (!query.submitter.empty()) bind(std::string_view(query.submitter));
    if (by_state) bind(state);
  } else if (!query.submitter.empty()) {
    bind(std::string_view(query.submitter));
    bind(before);
    if (by_state) bind(state);
  } else if (by_state) {
    bind(state);
    bind(before);
  } else {
    bind(before);
  }
  for (std::size_t i = 1; i < query.labels.size(); ++i) {
    bind(std::string_view(query.labels[i].first));
    bind(std::string_view(query.labels[i].second));
  }
  // One more than asked: whether a next page exists.
  bind(static_cast<std::int64_t>(query.limit) + 1);
}

}  // namespace

std::optional<StoredRun> SqliteStore::find_run(std::string_view id) {
  Lease db = reader();
  Query q = db->query("SELECT number, info FROM runs WHERE id = ?");
  q.bind(1, id);
  if (!q.step()) return std::nullopt;
  return StoredRun{static_cast<std::uint64_t>(q.int64(0)), decode_info(q.blob(1), *db)};
}

RunPage SqliteStore::list_runs(const RunQuery& query) {
  Lease db = reader();
  Query q = db->query(list_sql(query));
  bind_list(q, query);
  RunPage page;
  while (q.step()) {
    if (page.runs.size() == query.limit) {
      page.next_before = page.runs.back().number;
      break;
    }
    page.runs.push_back({static_cast<std::uint64_t>(q.int64(0)), decode_info(q.blob(1), *db)});
  }
  return page;
}

std::vector<v1::RunEvent> SqliteStore::read_events(std::uint64_t number, std::uint64_t from_seq,
                                                   std::size_t max) {
  Lease db = reader();
  std::vector<v1::RunEvent> events;
  // The chunk holding from_seq (the newest starting at or before it), then the next ones.
  Query q = db->query(
      "SELECT events FROM event_chunks WHERE run = ?1 AND first_seq >= coalesce((SELECT "
      "max(first_seq) FROM event_chunks WHERE run = ?1 AND first_seq <= ?2), ?2) "
      "ORDER BY first_seq");
  q.bind(1, static_cast<std::int64_t>(number)).bind(2, static_cast<std::int64_t>(from_seq));
  while (events.size() < max && q.step()) {
    for (v1::RunEvent& event : decode_events(q.blob(0), *db)) {
      const std::uint64_t last = event.has_missed() ? event.missed().to_seq() : event.seq();
      if (last < from_seq) continue;
      if (event.has_missed()) {  // as WatchRun numbers EventsMissed: seq = to_seq
        event.set_seq(last);
        if (event.missed().from_seq() < from_seq) event.mutable_missed()->set_from_seq(from_seq);
      }
      events.push_back(std::move(event));
      if (events.size() == max) break;
    }
  }
  return events;
}

}  // namespace agdf::store::sqlite
