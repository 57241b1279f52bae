#pragma once
// A file opened by path without following a final symlink (the path was resolved inside
// the data directory just before), closed when it goes out of scope. Blocking: use it
// from work offloaded with NodeContext::offload().

#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>

namespace agdf::io {

class PosixFile {
 public:
  enum class Mode { read, append, truncate };

  /// Opens `path`; for writing, creates it and its missing parent directories.
  /// Throws NodeError("OSError") with the reason, naming the file as `shown_as` (the path
  /// the graph gave, not where the data directory happens to be on the server).
  PosixFile(const std::filesystem::path& path, Mode mode, std::string shown_as);
  PosixFile(const PosixFile&) = delete;
  PosixFile& operator=(const PosixFile&) = delete;
  ~PosixFile();

  /// Appends all of `data`; the file was opened with O_APPEND, so a reader never sees
  /// another writer's bytes inside this block from the same process.
  void write_all(std::string_view data);

  /// Reads up to `size` bytes; 0 at the end of the file.
  std::size_t read_some(char* buffer, std::size_t size);

  /// True when the file holds no bytes.
  bool empty() const;

 private:
  [[noreturn]] void fail(const char* what) const;

  std::string shown_as_;
  int fd_ = -1;
};

}  // namespace agdf::io
