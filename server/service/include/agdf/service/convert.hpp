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
#include "agdf/nodes/function.hpp"
#include "agdf/v1/agdf.pb.h"

namespace agdf::service {

namespace v1 = ::agdf::v1;

/// The stats interval used when a submission does not set one.
inline constexpr std::chrono::milliseconds kDefaultStatsInterval{250};

/// Reads a GraphDefinition: graph_json with the graph-file rules, the structured Graph
/// field by field. Bad JSON in a field is a problem naming the field; nothing throws.
engine::ParsedGraph to_parsed_graph(const v1::GraphDefinition& definition);

/// Applies a submission's start-node and max_exceptions overrides to what was parsed,
/// adding a problem for each start node whose args_json is not a JSON array.
void apply_overrides(const v1::SubmitRunRequest& request, engine::ParsedGraph& parsed);

/// The run options a submission asks for. Nodes named in `capture` or in the logging
/// filter that the graph lacks are added to `problems`.
engine::RunOptions to_run_options(const v1::SubmitRunRequest& request,
                                  const engine::GraphSpec& graph,
                                  const std::filesystem::path& data_dir,
                                  engine::Problems& problems);

/// Problems listed in an INVALID_ARGUMENT status at most; then "... and N more".
inline constexpr std::size_t kMaxProblemsInStatus = 20;
/// A status message's size as gRPC sends it (percent-encoded) at most: well under the 8 KB
/// a client accepts as metadata by default, whatever the problems quote.
inline constexpr std::size_t kMaxStatusWireBytes = 4096;
/// Problems listed in a ValidateGraphResponse at most (then one "... and N more" problem).
inline constexpr std::size_t kMaxProblemsInResponse = 1000;
/// One problem line (or a Problem's where or message) is cut to this length.
inline constexpr std::size_t kMaxProblemLineBytes = 512;

/// One status line then one "  - where: message" line per problem, up to
/// kMaxProblemsInStatus and kMaxStatusWireBytes, then how many more there were.
std::string describe_problems(const engine::Problems& problems);

/// The problems as a response lists them: at most kMaxProblemsInResponse, then one saying
/// how many more there were.
void add_problems(const engine::Problems& problems,
                  google::protobuf::RepeatedPtrField<v1::Problem>& out);

/// How many bytes `text` takes as a gRPC status message on the wire: bytes outside printable
/// ASCII (and '%') are percent-encoded, three bytes each.
std::size_t wire_bytes(std::string_view text);

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

/// "queued", "running", "completed", ... for logs and messages.
std::string_view state_name(v1::RunState state);

/// True for COMPLETED, HALTED, CANCELLED and FAILED.
bool is_final(v1::RunState state);

std::int64_t unix_ms_now();

}  // namespace agdf::service
