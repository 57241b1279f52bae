#include "agdf/limits/principal_runs.hpp"

namespace agdf::limits {

std::optional<std::string> PrincipalRuns::try_add(const std::string& principal) {
  std::lock_guard lock(mutex_);
  std::size_t& count = counts_[principal];
  if (count < max_) {
    ++count;
    return std::nullopt;
  }
  const std::string who = principal.empty() ? "the anonymous caller" : "'" + principal + "'";
  return who + " already has " + std::to_string(count) +
         " runs running or queued, the limit (--max-runs-per-principal " + std::to_string(max_) +
         "); wait for one to finish";
}

void PrincipalRuns::remove(const std::string& principal) {
  std::lock_guard lock(mutex_);
  auto it = counts_.find(principal);
  if (it == counts_.end()) return;
  if (--it->second == 0) counts_.erase(it);
}

std::size_t PrincipalRuns::count(const std::string& principal) const {
  std::lock_guard lock(mutex_);
  auto it = counts_.find(principal);
  return it == counts_.end() ? 0 : it->second;
}

}  // namespace agdf::limits
