#pragma once
/// The daemon's state directory, held for the daemon's lifetime: created when missing and
/// locked (flock on `agdf.lock`), so a second daemon pointed at it refuses to start.

#include <filesystem>
#include <optional>
#include <string>

namespace agdf::store {

class StateDir {
 public:
  /// Creates and locks `dir`. Throws StoreError when it cannot be created or written, or
  /// when another process holds it (the message names that process).
  explicit StateDir(std::filesystem::path dir);
  ~StateDir();
  StateDir(const StateDir&) = delete;
  StateDir& operator=(const StateDir&) = delete;

  const std::filesystem::path& path() const noexcept { return dir_; }
  /// The run store's database file.
  std::filesystem::path database() const { return dir_ / "runs.db"; }

 private:
  std::filesystem::path dir_;
  int lock_fd_ = -1;
};

/// Why `state_dir` and `data_dir` cannot be used together (one inside the other, or the
/// same directory: a graph's file functions could read or overwrite the history), or
/// nullopt when they are apart.
std::optional<std::string> check_layout(const std::filesystem::path& state_dir,
                                        const std::filesystem::path& data_dir);

}  // namespace agdf::store
