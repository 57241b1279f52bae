#include "agdf/metrics/grpc_metrics.hpp"

#include <array>
#include <chrono>

#include <google/protobuf/descriptor.h>

namespace agdf::metrics {
namespace {

constexpr std::array<std::string_view, 17> kCodeNames{
    "OK",        "CANCELLED",      "UNKNOWN",           "INVALID_ARGUMENT",   "DEADLINE_EXCEEDED",
    "NOT_FOUND", "ALREADY_EXISTS", "PERMISSION_DENIED", "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION",
    "ABORTED",   "OUT_OF_RANGE",   "UNIMPLEMENTED",     "INTERNAL",           "UNAVAILABLE",
    "DATA_LOSS", "UNAUTHENTICATED"};

constexpr std::string_view kReflectionMethod =
    "/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo";

using grpc::experimental::InterceptionHookPoints;

/// One call: started when gRPC creates it, counted when its status is sent.
class CallMetrics final : public grpc::experimental::Interceptor {
 public:
  CallMetrics(DaemonMetrics& metrics, std::string method)
      : metrics_(metrics), method_(std::move(method)), start_(std::chrono::steady_clock::now()) {}

  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::PRE_SEND_STATUS)) {
      const std::chrono::duration<double> took = std::chrono::steady_clock::now() - start_;
      const auto code = methods->GetSendStatus().error_code();
      metrics_.grpc_requests.with({method_, status_code_name(code)}).inc();
      metrics_.grpc_duration.with({method_}).observe(took.count());
    }
    methods->Proceed();
  }

 private:
  DaemonMetrics& metrics_;
  const std::string method_;
  const std::chrono::steady_clock::time_point start_;
};

}  // namespace

std::string_view status_code_name(int code) noexcept {
  if (code < 0 || code >= static_cast<int>(kCodeNames.size())) return "UNKNOWN";
  return kCodeNames[static_cast<std::size_t>(code)];
}

GrpcMetricsFactory::GrpcMetricsFactory(DaemonMetrics& metrics,
                                       const std::vector<std::string>& services)
    : metrics_(metrics) {
  const auto* pool = google::protobuf::DescriptorPool::generated_pool();
  for (const auto& name : services) {
    const auto* service = pool->FindServiceByName(name);
    if (!service) continue;
    for (int i = 0; i < service->method_count(); ++i)
      methods_.insert("/" + name + "/" + service->method(i)->name());
  }
  methods_.emplace(kReflectionMethod);
}

grpc::experimental::Interceptor* GrpcMetricsFactory::CreateServerInterceptor(
    grpc::experimental::ServerRpcInfo* info) {
  const char* method = info->method();
  std::string name = method && methods_.contains(method) ? std::string(method) : "other";
  return new CallMetrics(metrics_, std::move(name));
}

}  // namespace agdf::metrics
