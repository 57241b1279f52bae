#include "agdf/client/connection.hpp"

#include <cstdlib>

namespace agdf::client {
namespace {

/// Replies (a page of runs with their stats and errors) may exceed gRPC's 4 MB default.
constexpr int kMaxReceiveBytes = 256 * 1024 * 1024;

}  // namespace

Connection::Connection(std::string address) : address_(std::move(address)) {
  grpc::ChannelArguments args;
  args.SetMaxReceiveMessageSize(kMaxReceiveBytes);
  channel_ = grpc::CreateCustomChannel(address_, grpc::InsecureChannelCredentials(), args);
  agdf_ = v1::Agdf::NewStub(channel_);
  health_ = grpc::health::v1::Health::NewStub(channel_);
}

void Connection::set_deadline(grpc::ClientContext& context, std::chrono::milliseconds timeout) {
  context.set_deadline(std::chrono::system_clock::now() + timeout);
}

std::string resolve_server_address(const std::string& flag_value) {
  if (!flag_value.empty()) return flag_value;
  if (const char* env = std::getenv(kServerEnv); env != nullptr && *env != '\0') return env;
  return kDefaultServer;
}

}  // namespace agdf::client
