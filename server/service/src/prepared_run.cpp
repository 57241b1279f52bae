#include "prepared_run.hpp"

#include "agdf/engine/validate.hpp"
#include "agdf/service/convert.hpp"

namespace agdf::service {

std::optional<PreparedRun> prepare_run(const v1::SubmitRunRequest& request,
                                       const Registry& registry,
                                       const std::filesystem::path& data_dir,
                                       std::string& problems) {
  engine::ParsedGraph parsed = to_parsed_graph(request.definition());
  apply_overrides(request, parsed);
  auto validation = engine::validate(parsed, registry, ValidationContext{data_dir});
  engine::Problems found = std::move(validation.problems);
  engine::RunOptions options;
  if (parsed.spec) options = to_run_options(request, *parsed.spec, data_dir, found);
  if (!found.empty()) {
    problems = describe_problems(found);
    return std::nullopt;
  }
  return PreparedRun{std::move(validation.plan), std::move(options),
                     Labels(request.labels().begin(), request.labels().end())};
}

}  // namespace agdf::service
