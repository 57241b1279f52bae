#pragma once
// What both fuzz targets share: the registry of built-in functions and a data directory,
// made once per process, and the validation every input goes through.

#include <string_view>

#include "agdf/engine/graph_file.hpp"
#include "agdf/engine/validate.hpp"

namespace agdf::fuzz {

/// Validates what was parsed against the built-in functions (nothing runs). Every problem
/// must be a non-empty message; a crash, a sanitizer report or an exception is a finding.
void validate_parsed(const engine::ParsedGraph& parsed);

/// Validates a submission as SubmitRun and SubmitAndWatch do (the operator's limits at their
/// defaults, the graph, then its options against it).
void validate_run(engine::RunRequest request);

/// Aborts (a finding) when the bounded reader and nlohmann disagree on `text`: a value the
/// bounded reader accepts must be nlohmann's too (and valid UTF-8), and a syntax error must
/// be one for both.
void check_reader_agrees(std::string_view text);

}  // namespace agdf::fuzz
