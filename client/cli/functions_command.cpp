// agdf functions: what the daemon can run, with parameters, defaults and config keys.
#include <iostream>

#include "agdf/client/connection.hpp"
#include "command.hpp"
#include "output.hpp"

namespace agdf::client::cli {
namespace {

std::string compact(const OrderedJson& value) {
  return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

/// A default a worker keeps itself arrives as {"$default": "how it reads"}: show that.
std::string default_text(const std::string& json_text) {
  OrderedJson value = decode_json_text(json_text);
  if (value.is_object() && value.size() == 1 && value.contains("$default") &&
      value["$default"].is_string())
    return value["$default"].get<std::string>();
  return compact(value);
}

void print_function(const v1::FunctionInfo& f) {
  std::cout << f.name() << "(";
  for (int i = 0; i < f.params_size(); ++i) {
    const auto& p = f.params(i);
    std::cout << (i > 0 ? ", " : "") << p.name();
    if (p.has_default_json()) std::cout << "=" << default_text(p.default_json());
  }
  std::cout << ")\n";
  if (!f.description().empty()) std::cout << "    " << f.description() << "\n";
  if (f.remote()) {
    std::string workers;
    for (const auto& w : f.workers()) workers += (workers.empty() ? "" : ", ") + w;
    std::cout << "    served by workers: "
              << (workers.empty() ? "none connected (calls wait for one)" : workers) << "\n";
  }
  for (const auto& key : f.config_keys()) {
    std::cout << "    config." << key.name() << (key.required() ? " (required)" : "");
    if (!key.description().empty()) std::cout << ": " << key.description();
    if (!key.example_json().empty())
      std::cout << "  e.g. " << compact(decode_json_text(key.example_json()));
    std::cout << "\n";
  }
}

int list_functions(const GlobalOptions& global) {
  Connection connection(connection_options(global));
  grpc::ClientContext context;
  Connection::set_deadline(context);
  v1::ListFunctionsResponse response;
  const auto status = connection.agdf().ListFunctions(&context, {}, &response);
  if (!status.ok()) return report_failure(connection, status, "listing functions");
  for (const auto& f : response.functions()) {
    if (global.json)
      print_json_line(function_to_json(f));
    else
      print_function(f);
  }
  return 0;
}

}  // namespace

void add_functions_command(CLI::App& app, const GlobalOptions& global, Action& action) {
  auto* cmd = app.add_subcommand("functions", "list the functions the daemon hosts");
  cmd->callback([&global, &action] { action = [&global] { return list_functions(global); }; });
}

}  // namespace agdf::client::cli
