#include "cli/security_options.hpp"

#include "agdf/engine/graph_bounds.hpp"

namespace agdf::server {

void add_security_options(CLI::App& serve, service::DaemonOptions& options) {
  serve
      .add_option("--tokens", options.tokens,
                  "token file of principals and roles; without it only loopback is served")
      ->envname("AGDF_TOKENS");
  serve
      .add_flag("--insecure-listen-anywhere", options.insecure_listen_anywhere,
                "serve a non-loopback address without --tokens (anyone reaching it may do "
                "everything)")
      ->envname("AGDF_INSECURE_LISTEN_ANYWHERE");
  serve.add_option("--tls-cert", options.tls.cert, "PEM certificate chain: serve gRPC over TLS")
      ->envname("AGDF_TLS_CERT");
  serve.add_option("--tls-key", options.tls.key, "PEM private key of --tls-cert")
      ->envname("AGDF_TLS_KEY");
  serve
      .add_option("--tls-client-ca", options.tls.client_ca,
                  "PEM CA certificates: require client certificates signed by them (mutual TLS)")
      ->envname("AGDF_TLS_CLIENT_CA");
  serve
      .add_option("--http-allow", options.http_allow,
                  "let http.get/http.paginate reach this internal destination: CIDR, address, "
                  "host name, *.domain, or * (repeatable; comma-separated in the variable)")
      ->envname("AGDF_HTTP_ALLOW")
      ->delimiter(',')
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
}

void add_limit_options(CLI::App& serve, limits::RequestLimits& limits) {
  auto limit = [&serve](const char* flag, auto& value, const char* env, const char* what) {
    return serve.add_option(flag, value, what)
        ->envname(env)
        ->check(CLI::PositiveNumber)
        ->capture_default_str();
  };
  // A limit past the graph format's fixed bound could never be reached: validation refuses
  // such a graph whatever the limit (README, "Limits and hostile input").
  auto at_most = [](std::int64_t bound) { return CLI::Range(std::int64_t{1}, bound); };
  limit("--max-message-bytes", limits.max_message_bytes, "AGDF_MAX_MESSAGE_BYTES",
        "largest gRPC message the daemon receives");
  limit("--max-graph-bytes", limits.max_graph_bytes, "AGDF_MAX_GRAPH_BYTES",
        "largest graph definition, in bytes as sent");
  limit("--max-nodes", limits.max_nodes, "AGDF_MAX_NODES", "most nodes in a graph")
      ->check(at_most(static_cast<std::int64_t>(engine::bounds::kNodes)));
  limit("--max-preloaded-items", limits.max_preloaded_items, "AGDF_MAX_PRELOADED_ITEMS",
        "most items preloaded into a graph's queues");
  limit("--max-tasks-per-node", limits.max_tasks_per_node, "AGDF_MAX_TASKS_PER_NODE",
        "largest max_tasks of a node")
      ->check(at_most(engine::bounds::kMaxTasks));
  limit("--max-tasks-per-run", limits.max_tasks_per_run, "AGDF_MAX_TASKS_PER_RUN",
        "largest sum of max_tasks over a graph's nodes");
  limit("--max-queue-size-per-node", limits.max_queue_size_per_node, "AGDF_MAX_QUEUE_SIZE_PER_NODE",
        "largest queue_size of a node")
      ->check(at_most(engine::bounds::kQueueSize));
  limit("--max-queue-size-per-run", limits.max_queue_size_per_run, "AGDF_MAX_QUEUE_SIZE_PER_RUN",
        "largest sum of queue_size over a graph's nodes");
  limit("--max-runs-per-principal", limits.max_runs_per_principal, "AGDF_MAX_RUNS_PER_PRINCIPAL",
        "runs one principal may have running or queued");
}

}  // namespace agdf::server
