#pragma once
/// Whole-graph validation: every problem is found and reported at once, each naming
/// the node or field it concerns, before anything runs.

#include <memory>
#include <optional>

#include "agdf/engine/graph_file.hpp"
#include "agdf/engine/graph_spec.hpp"
#include "agdf/engine/plan.hpp"
#include "agdf/engine/problem.hpp"
#include "agdf/engine/queue_kind.hpp"
#include "agdf/engine/run_options.hpp"
#include "agdf/engine/validated_run.hpp"
#include "agdf/nodes/registry.hpp"

namespace agdf::engine {

struct Validation {
  std::shared_ptr<const Plan> plan;  ///< set when there were no problems
  Problems problems;
};

/// `context` says where the graph will run (its data directory), for the functions whose
/// checks depend on it; the plan keeps that data directory for the run.
Validation validate(const GraphSpec& spec, const Registry& registry,
                    const ValidationContext& context = {},
                    const QueueKindRegistry& queue_kinds = builtin_queue_kinds());

/// Validates what a parser read, listing the parser's problems first: one report
/// covers both a misspelt key and, say, a cycle.
Validation validate(const ParsedGraph& parsed, const Registry& registry,
                    const ValidationContext& context = {},
                    const QueueKindRegistry& queue_kinds = builtin_queue_kinds());

/// A run as submitted: the graph as read (with any per-run overrides already applied), and
/// the options it asks for.
struct RunRequest {
  ParsedGraph graph;
  RunOptions options;
};

struct RunValidation {
  std::optional<ValidatedRun> run;  ///< set when there were no problems
  Problems problems;
};

/// Validates the graph, then the options against it (the nodes named by `capture` and by
/// the data-flow log's filter must exist): one report lists every problem of both.
RunValidation validate_run(RunRequest request, const Registry& registry,
                           const ValidationContext& context = {},
                           const QueueKindRegistry& queue_kinds = builtin_queue_kinds());

}  // namespace agdf::engine
