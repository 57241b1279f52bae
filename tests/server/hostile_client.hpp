#pragma once
/// What the hostile-input tests share: calls that return their status rather than fail the
/// test, and the check made after every hostile request — the daemon still answers health
/// and a normal run submitted next completes.

#include <string>

#include "server/daemon_fixture.hpp"

namespace agdf::testing {

/// The status of a SubmitRun (the run id in `run_id` when it was accepted).
grpc::Status submit_status(v1::Agdf::Stub& stub, const v1::SubmitRunRequest& request,
                           std::string* run_id = nullptr);

/// The status a SubmitAndWatch stream of `request` ends with. A run it accepted (its first
/// event) is cancelled at once and the stream read to its end; `run_id` gets its id.
grpc::Status submit_and_watch_status(v1::Agdf::Stub& stub, const v1::SubmitRunRequest& request,
                                     std::string* run_id = nullptr);

/// The status of a ValidateGraph, with its response.
grpc::Status validate_status(v1::Agdf::Stub& stub, const v1::GraphDefinition& definition,
                             v1::ValidateGraphResponse* response);

/// The health service's answer for `service` ("" or "agdf.v1.Agdf"): SERVING is 1.
int health_of(DaemonProcess& daemon, const std::string& service);

/// Fails the test unless the daemon answers health for "" and "agdf.v1.Agdf" as SERVING and
/// runs range(3) -> discard to completion with the reference counts.
void expect_still_serving(DaemonProcess& daemon, v1::Agdf::Stub& stub);

/// A request whose definition is the structured Graph `graph`.
v1::SubmitRunRequest structured(const v1::Graph& graph);

/// Adds a node to `graph`; `config_json` may be empty.
v1::Node* add_node(v1::Graph& graph, const std::string& name, const std::string& function,
                   const std::string& config_json = {});

}  // namespace agdf::testing
