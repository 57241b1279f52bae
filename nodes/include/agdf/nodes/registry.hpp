#pragma once
/// The set of functions a daemon hosts. Registration is explicit (see builtin.hpp):
/// nothing relies on static initialisers, which a linker may silently drop.

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "agdf/nodes/function.hpp"

namespace agdf {

/// A plain value: copying a Registry is cheap (the functions are shared, immutable), so
/// a Catalog can hand out snapshots.
class Registry {
 public:
  /// Adds a function. A second function with the same name is a programming error.
  void add(FunctionDef def);

  /// Adds a function, or replaces the one with the same name.
  void put(FunctionDef def);

  /// Removes the function called `name`; false when there is none.
  bool remove(std::string_view name);

  /// The function called `name`, or nullptr. Valid as long as this Registry is.
  const FunctionDef* find(std::string_view name) const;

  /// Every function, sorted by name.
  std::vector<const FunctionDef*> list() const;

  /// Checks `config` against the function's config keys (unknown keys, missing required
  /// keys, not an object), then lets the function parse it.
  Prepared prepare(const FunctionDef& def, const Json& config,
                   const ValidationContext& context = {}) const;

 private:
  std::map<std::string, std::shared_ptr<const FunctionDef>, std::less<>> functions_;
};

}  // namespace agdf
