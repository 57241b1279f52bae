#include "agdf/nodes/catalog.hpp"

namespace agdf {

Catalog::Catalog(Registry fixed) {
  for (const FunctionDef* def : fixed.list()) fixed_.insert(def->name);
  current_ = std::make_shared<const Registry>(std::move(fixed));
}

std::shared_ptr<const Registry> Catalog::snapshot() const {
  std::lock_guard lock(mutex_);
  return current_;
}

bool Catalog::is_fixed(std::string_view name) const {
  return fixed_.contains(name);
}

// Changes copy the registry (cheap: the functions themselves are shared) and swap it in,
// so a snapshot already handed out never changes under its reader.
bool Catalog::put(FunctionDef def) {
  if (is_fixed(def.name)) return false;
  std::lock_guard lock(mutex_);
  auto next = std::make_shared<Registry>(*current_);
  next->put(std::move(def));
  current_ = std::move(next);
  return true;
}

bool Catalog::remove(std::string_view name) {
  if (is_fixed(name)) return false;
  std::lock_guard lock(mutex_);
  auto next = std::make_shared<Registry>(*current_);
  if (!next->remove(name)) return false;
  current_ = std::move(next);
  return true;
}

}  // namespace agdf
