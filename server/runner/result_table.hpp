#pragma once
// The readable form of a finished run: state, start nodes, a per-node table, errors.

#include <ostream>

#include "agdf/engine/run_result.hpp"

namespace agdf::server {

void print_result_table(std::ostream& out, const engine::RunResult& result);

}  // namespace agdf::server
