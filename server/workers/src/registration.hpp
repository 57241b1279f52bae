#pragma once
// What a worker's Register message says, checked: a worker is untrusted input, so every
// name, count and default is bounded and well-formed before the daemon relies on it.

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "agdf/nodes/function.hpp"
#include "agdf/v1/worker.pb.h"
#include "agdf/workers/worker_options.hpp"

namespace agdf::workers::detail {

/// The key of the stand-in argument for a default the worker keeps itself.
inline constexpr const char* kWorkerDefaultKey = "$default";

struct WireParam {
  std::string name;
  bool has_default = false;
  std::optional<std::string> default_json;  ///< normalised JSON text
  std::string default_repr;
  bool operator==(const WireParam&) const = default;
};

/// A function's parameters as its workers declare them: workers of one pool must agree.
struct Signature {
  std::vector<WireParam> params;
  bool operator==(const Signature&) const = default;

  /// Python-like, for messages: "(a, b=1, c=[])".
  std::string describe() const;
  /// The parameters the engine binds against: a JSON default as it is, a default the
  /// worker keeps as the stand-in {"$default": REPR}.
  std::vector<Param> engine_params() const;
};

struct FunctionRegistration {
  std::string name;
  std::string description;
  Signature signature;
  std::uint32_t concurrency = 0;
};

struct Registration {
  std::string worker_name;
  std::vector<FunctionRegistration> functions;
};

/// The registration, or why it is refused.
std::variant<Registration, std::string> read_registration(const v1::Register& message,
                                                          const WorkerOptions& options);

/// True when `arg` is the stand-in for a default the worker keeps.
bool is_worker_default(const Json& arg) noexcept;

}  // namespace agdf::workers::detail
