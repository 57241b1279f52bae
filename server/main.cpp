// agdf-server: the daemon (`serve`, the default) and the one-shot runner (`run FILE`).
#include <algorithm>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "agdf/http/daemon_http.hpp"
#include "agdf/service/daemon.hpp"
#include "agdf/service/log.hpp"
#include "cli/security_options.hpp"
#include "cli/token_command.hpp"
#include "runner/one_shot_run.hpp"

namespace {

/// `serve` is the default mode: `agdf-server` and `agdf-server --listen X` mean serve.
std::vector<std::string> with_default_mode(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  bool help = !args.empty() && (args[0] == "-h" || args[0] == "--help");
  if (args.empty() || (args[0].starts_with("-") && !help)) args.insert(args.begin(), "serve");
  std::reverse(args.begin(), args.end());  // CLI11 parses a reversed vector
  return args;
}

/// Milliseconds as a plain integer flag, stored into a std::chrono value.
CLI::Option* add_ms_option(CLI::App& app, const std::string& name, std::chrono::milliseconds& value,
                           const std::string& help, const std::string& env) {
  return app
      .add_option_function<std::int64_t>(
          name, [&value](std::int64_t ms) { value = std::chrono::milliseconds(ms); }, help)
      ->envname(env)
      ->check(CLI::PositiveNumber)
      ->default_str(std::to_string(value.count()));
}

/// Worker processes: the commands to start, and the protocol's timing and windows.
void add_worker_options(CLI::App& app, agdf::workers::WorkerOptions& options,
                        std::vector<std::string>& commands) {
  app.add_option("--worker", commands,
                 "a worker command to start (sh -c), restart when it exits and stop on "
                 "shutdown; repeatable (env: one command per line)")
      ->envname("AGDF_WORKERS")
      ->delimiter('\n')
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  add_ms_option(app, "--worker-heartbeat-ms", options.heartbeat_interval,
                "a worker and the daemon send a heartbeat after this long without a message",
                "AGDF_WORKER_HEARTBEAT_MS");
  add_ms_option(app, "--worker-timeout-ms", options.heartbeat_timeout,
                "a worker silent this long is lost; its calls go to another worker",
                "AGDF_WORKER_TIMEOUT_MS");
  add_ms_option(app, "--worker-wait-ms", options.worker_wait,
                "how long a call waits for a worker of its function (and the function stays "
                "listed) when none is connected",
                "AGDF_WORKER_WAIT_MS");
  app.add_option("--worker-window", options.window,
                 "items a worker call may yield ahead of the daemon accepting them")
      ->envname("AGDF_WORKER_WINDOW")
      ->check(CLI::Range(2u, 1u << 20))
      ->capture_default_str();
  app.add_option("--worker-lookahead", options.lookahead,
                 "calls of a node queued at a worker behind the running one (0: none)")
      ->envname("AGDF_WORKER_LOOKAHEAD")
      ->check(CLI::Range(0u, 1024u))
      ->capture_default_str();
}

/// The HTTP port's flags (issue 14): off unless --http-listen is given.
void add_http_options(CLI::App& serve, std::string& listen, agdf::http::HttpOptions& options) {
  serve
      .add_option("--http-listen", listen,
                  "HTTP port for /metrics, /healthz, /readyz, the JSON API and the dashboard "
                  "(HOST:PORT; port 0 picks a free port); off when empty")
      ->envname("AGDF_HTTP_LISTEN")
      ->capture_default_str();
  serve
      .add_option("--http-max-connections", options.max_connections,
                  "HTTP connections open at once; more are answered 503")
      ->envname("AGDF_HTTP_MAX_CONNECTIONS")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  serve
      .add_option("--http-max-body", options.max_body_bytes,
                  "bytes a request body may have (a submitted graph file); more is answered 413")
      ->envname("AGDF_HTTP_MAX_BODY")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
}

void add_serve_options(CLI::App& serve, agdf::service::DaemonOptions& options,
                       std::string& log_level, double& grace_seconds) {
  auto& limits = options.limits;
  // A flag given twice: the last one wins (handy for wrappers that add defaults first).
  serve.option_defaults()->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
  serve.add_option("--listen", options.listen, "address to listen on (port 0: any free port)")
      ->envname("AGDF_LISTEN")
      ->capture_default_str();
  serve.add_option("--threads", options.threads, "worker threads running graphs (0: one per core)")
      ->envname("AGDF_THREADS")
      ->capture_default_str();
  serve.add_option("--max-runs", limits.max_runs, "runs executing at once; more are queued")
      ->envname("AGDF_MAX_RUNS")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  serve
      .add_option("--max-queued-runs", limits.max_queued,
                  "runs waiting for a slot; beyond this SubmitRun fails with RESOURCE_EXHAUSTED")
      ->envname("AGDF_MAX_QUEUED_RUNS")
      ->capture_default_str();
  serve
      .add_option("--keep-finished", limits.keep_finished,
                  "finished runs kept for GetRun/WatchRun/ListRuns; older ones are forgotten")
      ->envname("AGDF_KEEP_FINISHED")
      ->capture_default_str();
  serve.add_option("--event-log-head", limits.events.head, "first events of a run always kept")
      ->envname("AGDF_EVENT_LOG_HEAD")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  serve.add_option("--event-log-tail", limits.events.tail, "latest events of a run kept")
      ->envname("AGDF_EVENT_LOG_TAIL")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  serve
      .add_option("--grace-period", grace_seconds,
                  "seconds running runs get to finish after SIGTERM/SIGINT before cancellation")
      ->envname("AGDF_GRACE_PERIOD")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  serve.add_option("--log-level", log_level, "debug, info, warn, error or off")
      ->envname("AGDF_LOG_LEVEL")
      ->check(CLI::IsMember({"debug", "info", "warn", "error", "off"}))
      ->capture_default_str();
  serve.add_option("--data-dir", options.data_dir, "directory file functions are confined to")
      ->envname("AGDF_DATA_DIR")
      ->capture_default_str();
  add_worker_options(serve, options.workers, options.worker_commands);
}

void add_history_options(CLI::App& serve, agdf::service::HistoryOptions& history, std::string& sync,
                         bool& no_store) {
  serve
      .add_option("--state-dir", history.state_dir,
                  "directory of the run history (runs.db); never inside --data-dir")
      ->envname("AGDF_STATE_DIR")
      ->capture_default_str();
  serve
      .add_flag("--no-store", no_store,
                "keep runs and events in memory only: nothing survives a restart")
      ->envname("AGDF_NO_STORE");
  serve
      .add_option("--store-sync", sync,
                  "normal: commits survive a crash of the daemon; full: also a power loss "
                  "(an fsync per commit)")
      ->envname("AGDF_STORE_SYNC")
      ->check(CLI::IsMember({"normal", "full"}))
      ->capture_default_str();
  serve
      .add_option("--retain-runs", history.retain_runs,
                  "finished runs kept in the history, the most recently finished (0: no limit)")
      ->envname("AGDF_RETAIN_RUNS")
      ->capture_default_str();
  serve
      .add_option("--retain-days", history.retain_days,
                  "days a finished run stays in the history (0: no limit)")
      ->envname("AGDF_RETAIN_DAYS")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  serve
      .add_option("--retain-interval", history.retain_interval_s,
                  "seconds between two retention passes (each deletes in small transactions)")
      ->envname("AGDF_RETAIN_INTERVAL")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  serve
      .add_option("--max-stored-events", history.max_events_per_run,
                  "events stored per run; later ones (but RunFinished) are not (EventsMissed)")
      ->envname("AGDF_MAX_STORED_EVENTS")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  serve
      .add_option("--store-queue-mb", history.queue_mb,
                  "memory for writes waiting for the disk; beyond it events are not stored")
      ->envname("AGDF_STORE_QUEUE_MB")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"agdf-server: hosts node functions and runs dataflow graphs", "agdf-server"};
  app.require_subcommand(0, 1);

  agdf::server::OneShotOptions one_shot;
  auto* run = app.add_subcommand("run", "run one graph file in-process and exit");
  run->add_option("file", one_shot.graph_file, "graph file (JSON)")->required();
  run->add_flag("--json", one_shot.json, "print exactly one JSON object with the result");
  run->add_option("--data-dir", one_shot.data_dir, "directory file functions are confined to")
      ->envname("AGDF_DATA_DIR")
      ->capture_default_str();
  run->add_option("--threads", one_shot.threads, "worker threads")->capture_default_str();
  add_worker_options(*run, one_shot.workers, one_shot.worker_commands);

  agdf::service::DaemonOptions daemon;
  std::string log_level = "info";
  double grace_seconds = 10;
  auto* serve = app.add_subcommand("serve", "serve gRPC until SIGTERM/SIGINT (the default)");
  add_serve_options(*serve, daemon, log_level, grace_seconds);
  agdf::server::add_security_options(*serve, daemon);
  agdf::server::add_limit_options(*serve, daemon.request_limits);

  std::function<int()> token_action;
  agdf::server::add_token_command(app, token_action);
  std::string store_sync = "normal";
  bool no_store = false;
  add_history_options(*serve, daemon.history, store_sync, no_store);
  std::string http_listen;
  agdf::http::HttpOptions http;
  add_http_options(*serve, http_listen, http);

  std::vector<std::string> args = with_default_mode(argc, argv);
  try {
    app.parse(args);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }

  if (run->parsed()) return agdf::server::run_one_shot(one_shot);
  if (token_action) return token_action();
  agdf::service::set_log_level(*agdf::service::parse_log_level(log_level));
  daemon.grace_period = std::chrono::milliseconds(static_cast<long long>(grace_seconds * 1000));
  daemon.history.full_sync = store_sync == "full";
  daemon.history.enabled = !no_store;
  std::vector<agdf::service::DaemonComponent*> components;
  std::unique_ptr<agdf::http::DaemonHttp> http_port;
  if (!http_listen.empty()) {
    http.listen = http_listen;
    // The HTTP port serves with the daemon's certificate and checks the daemon's tokens.
    if (!daemon.tls.cert.empty()) http.tls = agdf::http::TlsFiles{daemon.tls.cert, daemon.tls.key};
    http_port = std::make_unique<agdf::http::DaemonHttp>(http);
    components.push_back(http_port.get());
  }
  return agdf::service::run_daemon(daemon, components);
}
