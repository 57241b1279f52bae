#pragma once
/// A small condition language over items, shared by the `filter` function and by
/// conditional edges (`"when"`), so users learn it once:
///
///   {"field": "address.city", "op": "==", "value": "Portland"}
///   {"field": "tags[0]", "op": "in", "value": ["a", "b"]}
///   {"op": ">", "value": 10}                      (no field: the item itself)
///   {"all": [c, ...]}  {"any": [c, ...]}  {"not": c}
///
/// ops: == != < <= > >= in not_in contains exists. A field path is dotted names with
/// optional [index] parts; indexes also reach into tuples. A missing field matches only
/// `!=`, `not_in` and the negation of `exists`.

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "agdf/nodes/item.hpp"

namespace agdf {

class Condition {
 public:
  struct Node;

  /// True when `item` satisfies the condition.
  bool matches(const Item& item) const;

  /// The condition as written (for display and for the wire).
  const Json& source() const noexcept { return source_; }

 private:
  friend struct ConditionParser;
  std::shared_ptr<const Node> root_;
  Json source_;
};

struct ParsedCondition {
  std::optional<Condition> condition;
  std::vector<std::string> problems;
};

/// Parses a condition; every problem found is listed (unknown op, unparsable path...).
ParsedCondition parse_condition(const Json& source);

}  // namespace agdf
