#include <stdexcept>

#include "agdf/nodes/quote.hpp"

#include "queue_kinds.hpp"

namespace agdf::engine {

void QueueKindRegistry::add(QueueKindDef def) {
  std::string name = def.name;
  if (!kinds_.emplace(name, std::move(def)).second)
    throw std::logic_error("queue kind '" + name + "' is registered twice");
}

const QueueKindDef* QueueKindRegistry::find(std::string_view name) const {
  auto it = kinds_.find(name);
  return it == kinds_.end() ? nullptr : &it->second;
}

std::vector<const QueueKindDef*> QueueKindRegistry::list() const {
  std::vector<const QueueKindDef*> out;
  for (const auto& [name, def] : kinds_) out.push_back(&def);
  return out;
}

PreparedQueue QueueKindRegistry::prepare(const Json& queue, const QueueNodeInfo& node) const {
  PreparedQueue out;
  if (queue.is_null()) return out;
  if (!queue.is_object() || !queue.contains("kind") || !queue["kind"].is_string()) {
    out.problems.push_back("queue must be an object with a \"kind\"");
    return out;
  }
  const std::string kind = queue["kind"].get<std::string>();
  const QueueKindDef* def = find(kind);
  if (def == nullptr) {
    std::string known;
    for (const auto& [name, d] : kinds_) known += (known.empty() ? "" : ", ") + name;
    out.problems.push_back("unknown queue kind " + quote(kind) + " (known: " + known + ")");
    return out;
  }
  Json config = queue;
  config.erase("kind");
  for (const auto& [key, value] : config.items()) {
    bool known = false;
    for (const auto& k : def->config_keys) known = known || k.name == key;
    if (!known)
      out.problems.push_back("unknown key " + quote(key) + " for queue kind '" + kind + "'");
  }
  for (const auto& k : def->config_keys)
    if (k.required && !config.contains(k.name))
      out.problems.push_back("queue kind '" + kind + "' needs '" + k.name + "'");
  if (!out.problems.empty()) return out;
  return def->prepare(config, node);
}

const QueueKindRegistry& builtin_queue_kinds() {
  static const QueueKindRegistry registry = [] {
    QueueKindRegistry r;
    queue_kinds::register_fifo(r);
    queue_kinds::register_batch(r);
    queue_kinds::register_zip(r);
    queue_kinds::register_preload(r);
    return r;
  }();
  return registry;
}

}  // namespace agdf::engine
