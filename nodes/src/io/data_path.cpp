#include "data_path.hpp"

#include <algorithm>
#include <system_error>
#include <variant>

#include "agdf/nodes/node_error.hpp"
#include "agdf/nodes/quote.hpp"

namespace agdf::io {
namespace fs = std::filesystem;
namespace {

/// True when `inner` is `outer` or lies below it; both must be canonical.
bool is_within(const fs::path& outer, const fs::path& inner) {
  auto [o, i] = std::mismatch(outer.begin(), outer.end(), inner.begin(), inner.end());
  return o == outer.end() || (std::next(o) == outer.end() && o->empty());
}

/// The resolved location, or why there is none.
std::variant<fs::path, std::string> resolve(const fs::path& data_dir, const std::string& text) {
  const std::string quoted = quote(text);
  if (text.empty()) return std::string("is empty");
  // The OS cuts a path at NUL ("a\0b" would write "a"); no other control character belongs
  // in a file name either.
  for (std::size_t i = 0; i < text.size(); ++i)
    if (const auto c = static_cast<unsigned char>(text[i]); c < 0x20 || c == 0x7F)
      return quoted + " has a control character (byte " + std::to_string(c) + ") at offset " +
             std::to_string(i);
  const fs::path path(text);
  for (const fs::path& part : path)
    if (part == "..") return quoted + " contains '..'";

  std::error_code ec;
  const fs::path base = fs::weakly_canonical(fs::absolute(data_dir, ec), ec);
  if (ec) return "cannot resolve the data directory " + data_dir.string() + ": " + ec.message();
  const fs::path target = path.is_absolute() ? path : base / path;
  // weakly_canonical follows every symlink that leads somewhere; one left at the end
  // leads nowhere yet, and opening it for writing would create its target, wherever.
  const fs::path resolved = fs::weakly_canonical(target, ec);
  if (ec) return "cannot resolve " + quoted + ": " + ec.message();
  if (!is_within(base, resolved)) return quoted + " is outside the data directory";
  if (resolved == base) return quoted + " is the data directory itself, not a file in it";
  if (fs::is_symlink(fs::symlink_status(resolved, ec)))
    return quoted + " is a symlink that leads nowhere";
  return resolved;
}

}  // namespace

std::optional<std::string> data_path_problem(const fs::path& data_dir, const std::string& path) {
  auto result = resolve(data_dir, path);
  if (auto* problem = std::get_if<std::string>(&result)) return std::move(*problem);
  return std::nullopt;
}

fs::path resolve_data_path(const fs::path& data_dir, const std::string& path) {
  auto result = resolve(data_dir, path);
  if (auto* problem = std::get_if<std::string>(&result))
    throw NodeError("PermissionError", "path " + *problem);
  return std::get<fs::path>(std::move(result));
}

std::string data_path_key(const std::string& path) {
  return fs::path(path).lexically_normal().string();
}

}  // namespace agdf::io
