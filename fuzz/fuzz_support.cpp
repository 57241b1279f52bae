#include "fuzz_support.hpp"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>

#include "agdf/limits/request_limits.hpp"
#include "agdf/nodes/builtin.hpp"
#include "agdf/nodes/json_text.hpp"
#include "agdf/nodes/registry.hpp"

namespace agdf::fuzz {
namespace {

const Registry& registry() {
  static const Registry r = [] {
    Registry built;
    register_builtin_nodes(built);
    return built;
  }();
  return r;
}

const ValidationContext& context() {
  static const ValidationContext c = [] {
    auto dir =
        std::filesystem::temp_directory_path() / ("agdf-fuzz-data-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    return ValidationContext{dir};
  }();
  return c;
}

}  // namespace

void validate_parsed(const engine::ParsedGraph& parsed) {
  engine::Validation validation = engine::validate(parsed, registry(), context());
  for (const engine::Problem& p : validation.problems)
    if (p.message.empty()) std::abort();
  if (validation.plan.get() == nullptr && validation.problems.empty()) std::abort();
}

void validate_run(engine::RunRequest request) {
  // As the daemon submits: the operator's limits (at their defaults) beside validation.
  const limits::RequestLimits limits;
  engine::Problems over;
  if (request.graph.spec) over = limits::check_graph(*request.graph.spec, limits);
  engine::RunValidation validation =
      engine::validate_run(std::move(request), registry(), context());
  if (validation.run) over = limits::check_plan(*validation.run->plan, limits);
  for (const engine::Problem& p : over)
    if (p.message.empty()) std::abort();
  for (const engine::Problem& p : validation.problems)
    if (p.message.empty()) std::abort();
  if (!validation.run && validation.problems.empty()) std::abort();
}

void check_reader_agrees(std::string_view text) {
  JsonRead bounded = read_json_text(text, {.reject_duplicate_keys = false});
  // nlohmann stops at a NUL byte as at the end of the input; the bounded reader refuses it.
  if (text.find('\0') != std::string_view::npos) {
    if (!bounded.error) std::abort();
    return;
  }
  Json reference = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!bounded.error && (reference.is_discarded() || reference != bounded.value)) std::abort();
  // Text that parsed is valid UTF-8: the reader relies on the parser's own check.
  if (!bounded.error && invalid_utf8_offset(text)) std::abort();
  if (bounded.error && bounded.error->kind == JsonTextError::Kind::syntax &&
      !reference.is_discarded())
    std::abort();
}

}  // namespace agdf::fuzz
