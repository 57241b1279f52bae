#pragma once
/// The functions a daemon hosts right now. The built-ins are fixed; functions served by
/// worker processes come and go while the daemon runs. Readers take a snapshot, an
/// immutable Registry that stays valid however the catalog changes afterwards, so a
/// validation sees one consistent set and never races a worker leaving. Thread-safe.

#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <string_view>

#include "agdf/nodes/registry.hpp"

namespace agdf {

class Catalog {
 public:
  /// `fixed` holds the functions that never change (the built-ins).
  explicit Catalog(Registry fixed);

  /// The functions now.
  std::shared_ptr<const Registry> snapshot() const;

  /// True when `name` is one of the fixed functions.
  bool is_fixed(std::string_view name) const;

  /// Adds or replaces a changing function; false (and nothing changes) for a fixed name.
  bool put(FunctionDef def);

  /// Removes a changing function; false for a fixed name or one not there.
  bool remove(std::string_view name);

 private:
  std::set<std::string, std::less<>> fixed_;
  mutable std::mutex mutex_;
  std::shared_ptr<const Registry> current_;
};

}  // namespace agdf
