#pragma once
// What the writing functions (csv.write, jsonl.write) share: the `path` and `mode` config
// keys, and appending one block per call so that rows of concurrent tasks never interleave.

#include <functional>
#include <mutex>
#include <string>
#include <vector>

#include "io.hpp"

namespace agdf::io {

struct FileTarget {
  std::string path;  ///< as the graph gave it, inside the data directory
  bool append = false;
};

/// The keys `path` (required) and `mode` ("overwrite" or "append").
std::vector<ConfigKey> file_target_keys(const char* example_path);

/// Reads `path` and `mode`; a path outside `context.data_dir` is a problem.
FileTarget read_file_target(ConfigReader& reader, const ValidationContext& context);

/// What the calls of one run know about one file they write.
struct FileRunState {
  std::mutex mutex;
  bool started = false;              ///< this run has written to the file
  std::vector<std::string> columns;  ///< csv.write: the header this run chose
};

/// Makes the block one call appends. Runs under the file's lock, off the strand; `fresh`
/// means the file holds nothing yet (a header belongs at the top).
using RenderBlock = std::function<std::string(FileRunState& state, bool fresh)>;

/// Appends one rendered block to the target, off the strand, under the file's per-run lock.
/// The run's first write to the file truncates it in overwrite mode.
asio::awaitable<void> append_block(NodeContext& ctx, const FileTarget& target, RenderBlock render);

}  // namespace agdf::io
