#pragma once
// What the reading functions (csv.read, jsonl.read, lines.read) share: the `path` config
// key, and reading a file in chunks off the strand while emitting its items in order.

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "io.hpp"

namespace agdf::io {

/// The key `path` (required).
ConfigKey file_source_key(const char* example_path);

/// Reads `path`; a path outside `context.data_dir` is a problem.
std::string read_file_source(ConfigReader& reader, const ValidationContext& context);

/// Turns a file's bytes into items, chunk by chunk. Used by one call at a time.
class Decoder {
 public:
  virtual ~Decoder() = default;
  /// Adds `bytes`, appending the items they complete to `out`; throws on bad input.
  virtual void feed(std::string_view bytes, std::vector<Item>& out) = 0;
  /// Ends the input, appending what is left.
  virtual void finish(std::vector<Item>& out) = 0;
};

/// Reads the file at `path` in chunks off the strand and emits each decoded item in order.
/// A decoding error ends the call after the items before it were emitted.
asio::awaitable<void> emit_file_items(NodeContext& ctx, std::string path,
                                      std::shared_ptr<Decoder> decoder);

/// Splits bytes into lines (LF or CRLF), fed in chunks of any size.
class LineSplitter {
 public:
  /// Calls `line(text)` for every line `bytes` complete.
  template <typename OnLine>
  void feed(std::string_view bytes, OnLine&& line) {
    for (;;) {
      const auto end = bytes.find('\n');
      if (end == std::string_view::npos) break;
      partial_.append(bytes.substr(0, end));
      if (!partial_.empty() && partial_.back() == '\r') partial_.pop_back();
      line(partial_);
      partial_.clear();
      bytes.remove_prefix(end + 1);
    }
    partial_.append(bytes);
    if (partial_.size() > kMaxLineBytes)
      throw NodeError("ValueError",
                      "a line is longer than " + std::to_string(kMaxLineBytes) + " bytes");
  }

  /// Calls `line(text)` for a last line not ended by a newline.
  template <typename OnLine>
  void finish(OnLine&& line) {
    if (!partial_.empty() && partial_.back() == '\r') partial_.pop_back();
    if (!partial_.empty()) line(partial_);
    partial_.clear();
  }

 private:
  static constexpr std::size_t kMaxLineBytes = 64 << 20;
  std::string partial_;
};

}  // namespace agdf::io
