// agdf health: the standard gRPC health check; exit 0 only when the daemon is SERVING.
#include <iostream>
#include <memory>

#include "agdf/client/connection.hpp"
#include "agdf/client/exit_codes.hpp"
#include "command.hpp"
#include "output.hpp"

namespace agdf::client::cli {
namespace {

constexpr auto kHealthTimeout = std::chrono::seconds(5);

int check_health(const GlobalOptions& global, const std::string& service) {
  using grpc::health::v1::HealthCheckResponse;
  Connection connection(connection_options(global));
  grpc::ClientContext context;
  Connection::set_deadline(context, kHealthTimeout);
  grpc::health::v1::HealthCheckRequest request;
  request.set_service(service);
  HealthCheckResponse response;
  const auto status = connection.health().Check(&context, request, &response);
  if (!status.ok()) return report_failure(connection, status, "health check");
  const std::string name = HealthCheckResponse::ServingStatus_Name(response.status());
  if (global.json)
    print_json_line({{"server", connection.address()}, {"status", name}});
  else
    std::cout << name << "\n";
  return to_int(response.status() == HealthCheckResponse::SERVING ? ExitCode::kOk
                                                                  : ExitCode::kNodeErrors);
}

}  // namespace

void add_health_command(CLI::App& app, const GlobalOptions& global, Action& action) {
  auto service = std::make_shared<std::string>();
  auto* cmd = app.add_subcommand("health", "check the daemon is serving (exit 0 when it is)");
  cmd->add_option("--service", *service, "service name to check (default: the whole daemon)");
  cmd->callback([&global, &action, service] {
    action = [&global, service] { return check_health(global, *service); };
  });
}

}  // namespace agdf::client::cli
