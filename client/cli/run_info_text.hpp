#pragma once
/// A run's record as text for people (`status`, `cancel`).

#include <ostream>

#include "agdf/v1/agdf.pb.h"

namespace agdf::client::cli {

void print_run_info(std::ostream& out, const v1::RunInfo& run);

/// "k=v, k2=v2" sorted by key; "-" without labels.
std::string labels_text(const google::protobuf::Map<std::string, std::string>& labels);

}  // namespace agdf::client::cli
