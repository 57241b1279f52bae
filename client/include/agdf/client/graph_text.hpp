#pragma once
/// Graph parts as a person reads them: a condition as `state == "California"`, a queue
/// kind as `batch size=4`. One renderer, shared by `agdf graph` and the daemon's HTTP
/// API (and so the dashboard), so a condition reads the same everywhere.

#include <string>

#include <nlohmann/json.hpp>

namespace agdf::client {

/// A condition of the edge/filter language (`{"field", "op", "value"}`, `all`, `any`,
/// `not`) as text: `state == "California"`, `(a > 1 or b in ["x", "y"]) and not (c exists)`.
/// No field reads as `item`. Text that is not a condition comes back as compact JSON.
std::string condition_text(const nlohmann::json& when);

/// A node's queue (`{"kind": "batch", "size": 4}`; null: fifo) as `batch size=4`;
/// a list of preloaded items reads as its length (`preload items=3`).
std::string queue_text(const nlohmann::json& queue);

/// A JSON value written for reading: `"text"`, `[1, 2]`, `{"a": 1}`; a tuple as `(1, 2)`.
std::string value_text(const nlohmann::json& value);

}  // namespace agdf::client
