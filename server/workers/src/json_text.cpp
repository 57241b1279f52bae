#include "json_text.hpp"

#include <charconv>
#include <cstdint>

namespace agdf::workers::detail {

void append_json(std::string& out, const Json& value) {
  char digits[24];
  switch (value.type()) {
    case Json::value_t::number_integer: {
      auto end = std::to_chars(digits, digits + sizeof digits, value.get<std::int64_t>()).ptr;
      out.append(digits, end);
      return;
    }
    case Json::value_t::number_unsigned: {
      auto end = std::to_chars(digits, digits + sizeof digits, value.get<std::uint64_t>()).ptr;
      out.append(digits, end);
      return;
    }
    case Json::value_t::boolean:
      out += value.get<bool>() ? "true" : "false";
      return;
    case Json::value_t::null:
      out += "null";
      return;
    default:
      out += value.dump(-1, ' ', false, Json::error_handler_t::replace);
  }
}

JsonRead parse_json(std::string_view text) {
  // An integer of at most 18 digits, without a leading zero: what nlohmann makes of it
  // (unsigned when not negative) without its lexer.
  const bool negative = !text.empty() && text.front() == '-';
  const std::string_view digits = text.substr(negative ? 1 : 0);
  if (!digits.empty() && digits.size() <= 18 && (digits.front() != '0' || digits.size() == 1)) {
    bool all_digits = true;
    for (char c : digits) all_digits = all_digits && c >= '0' && c <= '9';
    if (all_digits) {
      std::uint64_t magnitude = 0;
      std::from_chars(digits.data(), digits.data() + digits.size(), magnitude);
      if (!negative) return {Json(magnitude), std::nullopt};
      return {Json(-static_cast<std::int64_t>(magnitude)), std::nullopt};
    }
  }
  return read_json_text(text, {.reject_duplicate_keys = false});
}

}  // namespace agdf::workers::detail
