#include "agdf/nodes/builtin.hpp"

#include "builtin.hpp"
#include "io/io_nodes.hpp"

namespace agdf {

void register_builtin_nodes(Registry& registry) {
  builtin::register_values(registry);
  builtin::register_range(registry);
  builtin::register_echo(registry);
  builtin::register_title_case(registry);
  builtin::register_sleep(registry);
  builtin::register_repeat(registry);
  builtin::register_fail_if(registry);
  builtin::register_template(registry);
  builtin::register_print(registry);
  builtin::register_discard(registry);
  builtin::register_io_nodes(registry);
}

}  // namespace agdf
