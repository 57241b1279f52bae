#include "agdf/nodes/registry.hpp"

#include <stdexcept>

#include "agdf/nodes/quote.hpp"

namespace agdf {

namespace {

std::shared_ptr<const FunctionDef> checked(FunctionDef def) {
  if (!def.prepare == !def.prepare_in)
    throw std::logic_error("function '" + def.name +
                           "' needs exactly one of prepare() and prepare_in()");
  return std::make_shared<const FunctionDef>(std::move(def));
}

}  // namespace

void Registry::add(FunctionDef def) {
  auto shared = checked(std::move(def));
  if (!functions_.emplace(shared->name, shared).second)
    throw std::logic_error("function '" + shared->name + "' is registered twice");
}

void Registry::put(FunctionDef def) {
  auto shared = checked(std::move(def));
  functions_.insert_or_assign(shared->name, shared);
}

bool Registry::remove(std::string_view name) {
  auto it = functions_.find(name);
  if (it == functions_.end()) return false;
  functions_.erase(it);
  return true;
}

const FunctionDef* Registry::find(std::string_view name) const {
  auto it = functions_.find(name);
  return it == functions_.end() ? nullptr : it->second.get();
}

std::vector<const FunctionDef*> Registry::list() const {
  std::vector<const FunctionDef*> out;
  out.reserve(functions_.size());
  for (const auto& [name, def] : functions_) out.push_back(def.get());
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
