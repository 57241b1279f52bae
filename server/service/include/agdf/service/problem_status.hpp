#pragma once
/// Problem lists as the wire carries them, bounded. A status message travels as gRPC
/// metadata, which a client accepts up to 8 KB by default: past that it sees
/// RESOURCE_EXHAUSTED instead of the INVALID_ARGUMENT meant for it. A response body is
/// bounded too, so a graph of ten thousand bad nodes gets a readable answer.

#include <cstddef>
#include <string>
#include <string_view>

#include "agdf/engine/problem.hpp"
#include "agdf/v1/agdf.pb.h"

namespace agdf::service {

/// Problems listed in an INVALID_ARGUMENT status at most; then "... and N more".
inline constexpr std::size_t kMaxProblemsInStatus = 20;
/// A status message's size as gRPC sends it (percent-encoded) at most.
inline constexpr std::size_t kMaxStatusWireBytes = 4096;
/// Problems listed in a ValidateGraphResponse at most (then one "... and N more problems").
inline constexpr std::size_t kMaxProblemsInResponse = 1000;
/// One problem line (a Problem's where or message) is cut to this length.
inline constexpr std::size_t kMaxProblemLineBytes = 512;

/// engine::describe_problems' text, listing at most kMaxProblemsInStatus problems within
/// kMaxStatusWireBytes, then how many more there were; always valid UTF-8.
std::string status_message(const engine::Problems& problems);

/// The problems as a response lists them: at most kMaxProblemsInResponse, each cut to
/// kMaxProblemLineBytes, then one saying how many more there were.
void add_problems(const engine::Problems& problems,
                  google::protobuf::RepeatedPtrField<agdf::v1::Problem>& out);

/// How many bytes `text` takes as a gRPC status message on the wire: bytes outside printable
/// ASCII (and '%') are percent-encoded, three bytes each.
std::size_t wire_bytes(std::string_view text);

}  // namespace agdf::service
