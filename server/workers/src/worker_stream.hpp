#pragma once
// The server side of one AgdfWorkers.Connect stream, on gRPC's callback API: reads are
// handed to the Dispatcher as they arrive, writes come from the Link.

#include <memory>

#include <grpcpp/support/server_callback.h>

#include "agdf/v1/worker.grpc.pb.h"

namespace agdf::workers::detail {

class Dispatcher;
class Link;

class WorkerStream final : public grpc::ServerBidiReactor<v1::WorkerMessage, v1::DaemonMessage> {
 public:
  explicit WorkerStream(Dispatcher& dispatcher);

  void OnReadDone(bool ok) override;
  void OnWriteDone(bool ok) override;
  void OnCancel() override;
  void OnDone() override;

 private:
  Dispatcher& dispatcher_;
  std::shared_ptr<Link> link_;
  v1::WorkerMessage incoming_;
};

}  // namespace agdf::workers::detail
