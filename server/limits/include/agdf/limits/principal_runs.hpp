#pragma once
/// Runs running or queued per principal, so one client cannot fill the daemon's slots
/// and queue on its own (--max-runs-per-principal). Thread-safe.

#include <cstddef>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

namespace agdf::limits {

class PrincipalRuns {
 public:
  explicit PrincipalRuns(std::size_t max_per_principal) : max_(max_per_principal) {}

  /// Counts one more run for `principal`; when it already has the maximum, counts nothing
  /// and returns the refusal, naming the limit.
  std::optional<std::string> try_add(const std::string& principal);
  /// One of `principal`'s runs ended (or was never submitted after try_add).
  void remove(const std::string& principal);
  /// Runs of `principal` counted now.
  std::size_t count(const std::string& principal) const;

 private:
  const std::size_t max_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, std::size_t> counts_;
};

}  // namespace agdf::limits
