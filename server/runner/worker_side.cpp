#include "worker_side.hpp"

#include <iostream>
#include <set>
#include <stdexcept>

#include <grpcpp/security/server_credentials.h>
#include <grpcpp/server_builder.h>

namespace agdf::server {
namespace {

void print_event(const workers::WorkerLogEvent& event) {
  std::string line = "[workers] " + event.message;
  for (const auto& [key, value] : event.fields) line += " " + key + "=" + value;
  std::cerr << line + "\n";
}

}  // namespace

WorkerSide::WorkerSide(Catalog& catalog, const workers::WorkerOptions& options,
                       const std::vector<std::string>& commands,
                       boost::asio::any_io_executor executor)
    : catalog_(catalog),
      options_(options),
      hub_(catalog, options, std::move(executor), print_event) {
  grpc::ServerBuilder builder;
  int port = 0;
  builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
  builder.RegisterService(&hub_.service());
  server_ = builder.BuildAndStart();
  if (!server_ || port == 0)
    throw std::runtime_error("cannot listen on a loopback port for workers");
  supervisor_ = std::make_unique<workers::WorkerSupervisor>(workers::SupervisorOptions{
      commands, "127.0.0.1:" + std::to_string(port), std::chrono::seconds(5), print_event});
}

WorkerSide::~WorkerSide() {
  stop();
}

std::vector<std::string> WorkerSide::wait_for_functions(const engine::ParsedGraph& graph) const {
  std::set<std::string> wanted;
  if (graph.spec) {
    auto known = catalog_.snapshot();
    for (const auto& node : graph.spec->nodes) {
      const FunctionDef* def = known->find(node.function);
      if (def == nullptr || def->workers) wanted.insert(node.function);
    }
  }
  std::vector<std::string> names(wanted.begin(), wanted.end());
  if (names.empty() ||
      hub_.wait_until_served(names, std::chrono::steady_clock::now() + options_.worker_wait))
    return {};
  std::vector<std::string> missing;
  auto known = catalog_.snapshot();
  for (const auto& name : names) {
    const FunctionDef* def = known->find(name);
    if (def == nullptr || !def->workers || def->workers->empty()) missing.push_back(name);
  }
  return missing;
}

void WorkerSide::stop() {
  if (supervisor_) supervisor_->stop();
  supervisor_.reset();
  hub_.close_all();
  if (server_) {
    server_->Shutdown(std::chrono::system_clock::now());
    server_->Wait();
    server_.reset();
  }
}

}  // namespace agdf::server
