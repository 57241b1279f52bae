#pragma once
/// A gRPC server interceptor that counts every call by method and status code and
/// times it. Methods outside the served set are counted as "other", so a client
/// inventing method names cannot grow the label set.

#include <memory>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include <grpcpp/support/server_interceptor.h>

#include "agdf/metrics/daemon_metrics.hpp"

namespace agdf::metrics {

class GrpcMetricsFactory final : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  /// `services`: full names of the served protobuf services ("agdf.v1.Agdf"); their
  /// methods, plus server reflection's, are counted by name.
  GrpcMetricsFactory(DaemonMetrics& metrics, const std::vector<std::string>& services);

  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* info) override;

 private:
  DaemonMetrics& metrics_;
  std::unordered_set<std::string> methods_;
};

/// "OK", "CANCELLED", ... "UNAUTHENTICATED" (the canonical names).
std::string_view status_code_name(int code) noexcept;

}  // namespace agdf::metrics
