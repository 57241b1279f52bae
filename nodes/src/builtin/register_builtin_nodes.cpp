#include "agdf/nodes/builtin.hpp"

#include "builtin.hpp"

namespace agdf {

void register_builtin_nodes(Registry& registry) {
  builtin::register_values(registry);
  builtin::register_range(registry);
  builtin::register_echo(registry);
  builtin::register_discard(registry);
}

}  // namespace agdf
