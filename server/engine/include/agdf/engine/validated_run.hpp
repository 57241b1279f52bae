#pragma once
/// A run ready to start: a validated plan, and run options checked against it.

#include <memory>

#include "agdf/engine/plan.hpp"
#include "agdf/engine/run_options.hpp"

namespace agdf::engine {

struct ValidatedRun {
  std::shared_ptr<const Plan> plan;
  RunOptions options;
};

}  // namespace agdf::engine
