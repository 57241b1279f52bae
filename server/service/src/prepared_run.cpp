#include "prepared_run.hpp"

#include "agdf/engine/validate.hpp"
#include "agdf/service/convert.hpp"
#include "agdf/service/problem_status.hpp"

namespace agdf::service {

std::optional<PreparedRun> prepare_run(const v1::SubmitRunRequest& request,
                                       const Registry& registry, const ValidationContext& context,
                                       std::string& problems) {
  auto checked = engine::validate_run(to_run_request(request), registry, context);
  if (!checked.run) {
    problems = status_message(checked.problems);
    return std::nullopt;
  }
  return PreparedRun{std::move(*checked.run),
                     Labels(request.labels().begin(), request.labels().end())};
}

}  // namespace agdf::service
