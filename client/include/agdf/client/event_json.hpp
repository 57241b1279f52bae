#pragma once
/// The JSON the CLI prints with `--json` or into a pipe: one object per run event per
/// line, and one object per function, run or result. The shapes are documented in the
/// README and are a contract for scripts; values travel as JSON text on the wire and
/// are decoded here, so items appear as JSON (tuples as {"$tuple": [...]}).

#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "agdf/v1/agdf.pb.h"
#include "agdf/v1/run_state.hpp"

namespace agdf::client {

/// Keys stay in the documented order.
using OrderedJson = nlohmann::ordered_json;

using v1::parse_state_name;
using v1::state_name;

/// The value JSON text holds; text that is not JSON stays a string; empty text is `fallback`.
OrderedJson decode_json_text(const std::string& text, OrderedJson fallback = nullptr);

/// {"seq", "run_id", "time_unix_ms", "type", ...the fields of that type}.
OrderedJson event_to_json(const v1::RunEvent& event);

/// {"run_id", "state", "labels", times, "start_nodes", "stats", "exceptions", "last_seq"}.
OrderedJson run_info_to_json(const v1::RunInfo& run);

/// {"name", "description", "params": [{"name", "default"?}], "config": [...]}.
OrderedJson function_to_json(const v1::FunctionInfo& function);

}  // namespace agdf::client
