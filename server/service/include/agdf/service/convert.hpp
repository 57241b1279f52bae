#pragma once
/// Proto <-> engine conversions: the only place the wire types meet the engine's.
/// Nothing here runs a graph or touches gRPC calls.

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <span>
#include <string>

#include "agdf/engine/graph_file.hpp"
#include "agdf/engine/plan.hpp"
#include "agdf/engine/run_options.hpp"
#include "agdf/engine/run_result.hpp"
#include "agdf/engine/validate.hpp"
#include "agdf/nodes/function.hpp"
#include "agdf/v1/agdf.pb.h"
#include "agdf/v1/run_state.hpp"

namespace agdf::service {

namespace v1 = ::agdf::v1;

/// The stats interval used when a submission does not set one.
inline constexpr std::chrono::milliseconds kDefaultStatsInterval{250};

/// Reads a GraphDefinition: graph_json with the graph-file rules, the structured Graph
/// field by field. Bad JSON in a field is a problem naming the field; nothing throws.
engine::ParsedGraph to_parsed_graph(const v1::GraphDefinition& definition);

/// A submission as the engine takes it: its graph with the submission's start-node and
/// max_exceptions overrides applied, and its run options. Converted once, here.
engine::RunRequest to_run_request(const v1::SubmitRunRequest& request);

v1::FunctionInfo to_proto(const FunctionDef& def);
v1::Problem to_proto(const engine::Problem& problem);
v1::StartNode to_proto(const engine::StartCall& start);
v1::NodeStats to_proto(const engine::NodeSnapshot& node);
v1::RunState to_proto(engine::RunStatus status);

/// Final stats and error records of a finished run, in declaration order.
void fill_final(const engine::RunResult& result, v1::RunFinished& finished);

/// Zero counters for every node of a plan: what a run reports before it starts.
void fill_zero_stats(const engine::Plan& plan,
                     google::protobuf::RepeatedPtrField<v1::NodeStats>& stats);

/// The resolved start nodes of a plan, with their arguments.
void fill_start_nodes(const engine::Plan& plan,
                      google::protobuf::RepeatedPtrField<v1::StartNode>& starts);

/// JSON text of a value; invalid UTF-8 in strings is replaced, so it always serialises.
std::string to_json_text(const Json& value);

/// `text` with invalid UTF-8 replaced by U+FFFD: proto3 strings must be valid UTF-8.
std::string valid_utf8(std::string_view text);

using v1::is_final;
using v1::state_name;

std::int64_t unix_ms_now();

}  // namespace agdf::service
