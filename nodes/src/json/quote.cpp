#include "agdf/nodes/quote.hpp"

#include <algorithm>

namespace agdf {

std::string shorten(std::string_view text) {
  if (text.size() <= kQuotedBytes) return std::string(text);
  std::size_t cut = kQuotedBytes;
  // Back up over continuation bytes so a multi-byte character is not split.
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return std::string(text.substr(0, cut)) + "... (" + std::to_string(text.size()) + " bytes)";
}

std::string quote(std::string_view text) {
  std::string out;
  out.reserve(std::min(text.size(), kQuotedBytes + 32) + 2);
  out += '\'';
  out += shorten(text);
  out += '\'';
  return out;
}

std::string shorten_json(const Json& value) {
  return shorten(value.dump(-1, ' ', false, Json::error_handler_t::replace));
}

}  // namespace agdf
