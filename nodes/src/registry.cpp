#include "agdf/nodes/registry.hpp"

#include <stdexcept>

#include "agdf/nodes/quote.hpp"

namespace agdf {

Prepared bind_without_config(std::vector<Param> params, NodeBody body) {
  return Prepared::ok(BoundFunction{std::move(params), std::move(body)});
}

void Registry::add(FunctionDef def) {
  if (!def.prepare == !def.prepare_in)
    throw std::logic_error("function '" + def.name +
                           "' needs exactly one of prepare() and prepare_in()");
  std::string name = def.name;
  if (!functions_.emplace(name, std::move(def)).second)
    throw std::logic_error("function '" + name + "' is registered twice");
}

const FunctionDef* Registry::find(std::string_view name) const {
  auto it = functions_.find(name);
  return it == functions_.end() ? nullptr : &it->second;
}

std::vector<const FunctionDef*> Registry::list() const {
  std::vector<const FunctionDef*> out;
  out.reserve(functions_.size());
  for (const auto& [name, def] : functions_) out.push_back(&def);
  return out;
}

Prepared Registry::prepare(const FunctionDef& def, const Json& config,
                           const ValidationContext& context) const {
  const Json empty = Json::object();
  const Json& cfg = config.is_null() ? empty : config;
  if (!cfg.is_object()) return Prepared::fail({"config must be an object"});

  std::vector<std::string> problems;
  for (const auto& [key, value] : cfg.items()) {
    bool known = false;
    for (const auto& k : def.config_keys) known = known || k.name == key;
    if (!known)
      problems.push_back("unknown config key " + quote(key) + " for function '" + def.name + "'");
  }
  for (const auto& k : def.config_keys)
    if (k.required && !cfg.contains(k.name))
      problems.push_back("config." + k.name + " is required");
  if (!problems.empty()) return Prepared::fail(std::move(problems));
  return def.prepare ? def.prepare(cfg) : def.prepare_in(cfg, context);
}

}  // namespace agdf
