#include "io_nodes.hpp"

#include "io.hpp"

namespace agdf::builtin {

void register_io_nodes(Registry& registry) {
  io::register_http_get(registry);
  io::register_http_paginate(registry);
  io::register_csv_write(registry);
  io::register_csv_read(registry);
  io::register_jsonl_write(registry);
  io::register_jsonl_read(registry);
  io::register_lines_read(registry);
  io::register_json_pick(registry);
  io::register_json_flatten(registry);
  io::register_filter(registry);
}

}  // namespace agdf::builtin
