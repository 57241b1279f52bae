#include "output.hpp"

#include <unistd.h>
#include "agdf/v1/unix_time.hpp"

#include <ctime>
#include <fstream>
#include <iostream>
#include <sstream>

#include "agdf/client/exit_codes.hpp"
#include "command.hpp"

namespace agdf::client::cli {
namespace {

/// gRPC messages may span lines; the report is one line.
std::string one_line(std::string text) {
  for (char& c : text)
    if (c == '\n' || c == '\r') c = ' ';
  return text;
}

bool is_loopback(const std::string& address) {
  return address.starts_with("127.") || address.starts_with("localhost:") ||
         address.starts_with("[::1]:") || address.starts_with("unix:");
}

}  // namespace

void print_json_line(const OrderedJson& value) {
  std::cout << value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << '\n'
            << std::flush;
}

int report_failure(const Connection& connection, const grpc::Status& status,
                   std::string_view what) {
  const ExitCode code = exit_code_for(status);
  const std::string message = one_line(status.error_message());
  if (code == ExitCode::kUnreachable)
    std::cerr << "agdf: cannot reach agdf-server at " << connection.address() << ": " << message
              << "\n";
  else if (code == ExitCode::kInvalidGraph)
    std::cerr << "agdf: " << what << ": " << status.error_message() << "\n";
  else
    std::cerr << "agdf: " << what << ": the server refused: " << message << "\n";
  return to_int(code);
}

ConnectionOptions connection_options(const GlobalOptions& global) {
  ConnectionOptions options = global.link;
  options.address = global.server;
  options = resolve_connection_options(std::move(options));
  if (!options.token.empty() && !options.uses_tls() && !is_loopback(options.address))
    std::cerr << "agdf: warning: sending the token to " << options.address
              << " without TLS (give --tls or --tls-ca)\n";
  return options;
}

int usage_error(std::string_view message) {
  std::cerr << "agdf: " << message << "\n";
  return to_int(ExitCode::kUsage);
}

std::optional<std::string> read_graph_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::cerr << "agdf: cannot read the graph file " << path << "\n";
    return std::nullopt;
  }
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string iso_time(std::int64_t unix_ms) {
  return unix_ms <= 0 ? "-" : v1::utc_time(unix_ms);
}

bool is_live_terminal(bool json_requested) {
  return !json_requested && isatty(STDOUT_FILENO);
}

}  // namespace agdf::client::cli
