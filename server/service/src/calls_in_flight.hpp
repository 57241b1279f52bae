#pragma once
/// Counts the gRPC calls the daemon is still answering. gRPC's Server::Shutdown waits out
/// its whole deadline while any client keeps an idle connection open, so shutdown waits on
/// this count instead and then shuts the server down at once.

#include <grpcpp/support/server_interceptor.h>

#include "agdf/service/stream_count.hpp"

namespace agdf::service {

class CallsInFlight final : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  /// `calls` must outlive every call of the server this factory is given to.
  explicit CallsInFlight(StreamCount& calls) : calls_(calls) {}

  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* info) override;

 private:
  StreamCount& calls_;
};

}  // namespace agdf::service
