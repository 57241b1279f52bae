#include "calls_in_flight.hpp"

#include <string_view>

namespace agdf::service {
namespace {

/// Health watches stay open until the server goes: they are not calls shutdown waits for.
constexpr std::string_view kHealthWatch = "/grpc.health.v1.Health/Watch";

/// Lives as long as its call: gRPC destroys a call's interceptors once the call is done,
/// after its status went out.
class CountedCall final : public grpc::experimental::Interceptor {
 public:
  explicit CountedCall(StreamCount& calls) : calls_(calls) { calls_.opened(); }
  ~CountedCall() override { calls_.closed(); }
  CountedCall(const CountedCall&) = delete;
  CountedCall& operator=(const CountedCall&) = delete;

  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    methods->Proceed();
  }

 private:
  StreamCount& calls_;
};

}  // namespace

grpc::experimental::Interceptor* CallsInFlight::CreateServerInterceptor(
    grpc::experimental::ServerRpcInfo* info) {
  const char* method = info->method();
  if (method && std::string_view(method) == kHealthWatch) return nullptr;
  return new CountedCall(calls_);
}

}  // namespace agdf::service
