#pragma once
// The dashboard's files, built into the binary from server/http/dashboard/ by CMake
// (embed_files.cmake), so the daemon serves them with nothing else installed.

#include <span>
#include <string_view>

namespace agdf::http {

struct StaticFile {
  std::string_view path;  ///< "/index.html", "/app.js", ...
  std::string_view content_type;
  std::string_view bytes;
};

/// Every embedded file.
std::span<const StaticFile> dashboard_files() noexcept;

/// The file served at `path` ("/" is "/index.html"); nullptr when there is none.
const StaticFile* find_dashboard_file(std::string_view path) noexcept;

}  // namespace agdf::http
