#pragma once
/// JSON nested far past any bound, for the hostile-input tests.

#include "agdf/nodes/item.hpp"

namespace agdf::testing {

/// `[[[...]]]` nested `depth` deep, built (and later moved) without recursion.
inline Json deep_array(int depth) {
  Json value = Json::array();
  for (int i = 1; i < depth; ++i) {
    Json outer = Json::array();
    outer.push_back(std::move(value));
    value = std::move(outer);
  }
  return value;
}

}  // namespace agdf::testing
