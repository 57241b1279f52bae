#pragma once
// Shared by the io function files: their registration entry points, listed once in
// register_io_nodes.cpp, and the includes every function needs.

#include <chrono>
#include <cstdint>

#include "agdf/nodes/config_reader.hpp"
#include "agdf/nodes/node_context.hpp"
#include "agdf/nodes/node_error.hpp"
#include "agdf/nodes/registry.hpp"

namespace agdf::io {

namespace asio = boost::asio;
using std::chrono::milliseconds;

void register_http_get(Registry& registry);
void register_http_paginate(Registry& registry);
void register_csv_write(Registry& registry);
void register_csv_read(Registry& registry);
void register_jsonl_write(Registry& registry);
void register_jsonl_read(Registry& registry);
void register_lines_read(Registry& registry);
void register_json_pick(Registry& registry);
void register_json_flatten(Registry& registry);
void register_filter(Registry& registry);

}  // namespace agdf::io
