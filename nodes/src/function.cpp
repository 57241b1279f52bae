#include "agdf/nodes/function.hpp"

namespace agdf {

Prepared bind_without_config(NodeBody body) {
  return Prepared::ok({std::move(body), std::nullopt});
}

const std::vector<Param>& params_of(const FunctionDef& def, const BoundFunction& bound) {
  return bound.params ? *bound.params : def.params;
}

}  // namespace agdf
