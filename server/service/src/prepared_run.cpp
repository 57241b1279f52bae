#include "prepared_run.hpp"

#include "agdf/engine/validate.hpp"
#include "agdf/service/convert.hpp"

namespace agdf::service {

std::optional<PreparedRun> prepare_run(const v1::SubmitRunRequest& request,
                                       const Registry& registry,
                                       const std::filesystem::path& data_dir,
                                       std::string& problems) {
  auto checked =
      engine::validate_run(to_run_request(request), registry, ValidationContext{data_dir});
  if (!checked.run) {
    problems = valid_utf8(engine::describe_problems(checked.problems));
    return std::nullopt;
  }
  return PreparedRun{std::move(*checked.run),
                     Labels(request.labels().begin(), request.labels().end())};
}

}  // namespace agdf::service
