#pragma once
/// An exception a node function throws to report an error with a chosen type name.
/// Any exception ends the call and is recorded; this one controls the recorded `type`
/// (other exceptions are recorded under their C++ type name).

#include <stdexcept>
#include <string>

namespace agdf {

class NodeError : public std::runtime_error {
 public:
  NodeError(std::string type, const std::string& message)
      : std::runtime_error(message), type_(std::move(type)) {}

  const std::string& type() const noexcept { return type_; }

 private:
  std::string type_;
};

/// The type recorded when a call's arguments do not match the function's parameters.
inline constexpr const char* kArgumentErrorType = "TypeError";

}  // namespace agdf
