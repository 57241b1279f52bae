#pragma once
/// The repeated `KEY=VALUE` options of `agdf run` and `agdf runs`, parsed apart from
/// CLI11 so their rules (split at the first '=', JSON arguments) are tested directly.

#include <optional>
#include <string>
#include <string_view>

namespace agdf::client {

/// A value, or why the text could not be parsed (a usage error).
template <typename T>
struct Parsed {
  std::optional<T> value;
  std::string error;

  static Parsed ok(T v) { return {std::move(v), {}}; }
  static Parsed fail(std::string why) { return {std::nullopt, std::move(why)}; }
};

/// `--start NODE=JSON_ARGS`: a start node and its arguments as a JSON array.
struct StartArgument {
  std::string node;
  std::string args_json;  ///< compact JSON text of the array
};

/// `--label K=V`.
struct LabelArgument {
  std::string key;
  std::string value;
};

/// Parses `NODE=JSON_ARGS`; JSON_ARGS must be a JSON array (`[]` for no arguments).
Parsed<StartArgument> parse_start_argument(std::string_view text);

/// Parses `K=V`; the key must not be empty, the value may be.
Parsed<LabelArgument> parse_label_argument(std::string_view text);

}  // namespace agdf::client
