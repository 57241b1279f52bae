#pragma once
// Confinement of file functions to the data directory. A path from a graph is checked
// twice: when the graph is validated (so a bad path is refused before anything runs) and
// again right before the file is opened (a symlink may have appeared in between).

#include <filesystem>
#include <optional>
#include <string>

namespace agdf::io {

/// Why `path` may not be used inside `data_dir` (worded to follow "config.path "), or
/// nullopt when it may: empty, a ".." component, or (after following symlinks) a location
/// outside the data directory. An absolute path is allowed when it lies inside it.
std::optional<std::string> data_path_problem(const std::filesystem::path& data_dir,
                                             const std::string& path);

/// The location `path` names inside `data_dir`, every symlink resolved, ready to open
/// without following links. Throws NodeError("PermissionError") when it escapes.
std::filesystem::path resolve_data_path(const std::filesystem::path& data_dir,
                                        const std::string& path);

/// A key naming the same configured path the same way in every call of a run.
std::string data_path_key(const std::string& path);

}  // namespace agdf::io
