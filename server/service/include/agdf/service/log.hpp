#pragma once
/// Structured logs: one `key=value` line per event of note on stderr, filtered by level,
/// written with a single write so lines from different threads never interleave.

#include <initializer_list>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace agdf::service {

enum class LogLevel { debug, info, warn, error, off };

/// "debug", "info", "warn", "error" or "off"; nullopt for anything else.
std::optional<LogLevel> parse_log_level(std::string_view text);

/// Lines below `level` are dropped. Thread-safe; info until set.
void set_log_level(LogLevel level);
bool log_enabled(LogLevel level);

struct LogField {
  std::string_view key;
  std::string value;

  LogField(std::string_view k, std::string v) : key(k), value(std::move(v)) {}
  LogField(std::string_view k, std::string_view v) : key(k), value(v) {}
  LogField(std::string_view k, const char* v) : key(k), value(v) {}
  template <typename N>
  requires std::is_arithmetic_v<N> LogField(std::string_view k, N n)
      : key(k), value(std::to_string(n)) {}
};

/// Writes `ts=... level=... msg="..." key=value ...`; values with spaces or quotes are quoted.
void log(LogLevel level, std::string_view message, std::initializer_list<LogField> fields = {});
/// The same, with fields made at run time.
void log(LogLevel level, std::string_view message, std::span<const LogField> fields);

}  // namespace agdf::service
