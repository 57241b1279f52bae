#pragma once
// A SubmitRunRequest converted and validated once, as SubmitRun, SubmitAndWatch and a
// restart (for runs the store held as queued) all need it.

#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "agdf/engine/validated_run.hpp"
#include "agdf/nodes/registry.hpp"
#include "agdf/service/run_record.hpp"
#include "agdf/v1/agdf.pb.h"

namespace agdf::service {

struct PreparedRun {
  engine::ValidatedRun run;
  Labels labels;
};

/// The run `request` asks for, or nullopt with every problem described in `problems`.
std::optional<PreparedRun> prepare_run(const v1::SubmitRunRequest& request,
                                       const Registry& registry,
                                       const ValidationContext& context,
                                       std::string& problems);

}  // namespace agdf::service
