#include "agdf/nodes/json_text.hpp"

#include <set>
#include <utility>
#include <vector>

#include "agdf/nodes/quote.hpp"

namespace agdf {
namespace {

/// Builds the value from nlohmann's SAX events, refusing too deep nesting and duplicate
/// keys. Opens and keys are counted, so the place of a refusal can be found in the text.
class BoundedBuilder {
 public:
  explicit BoundedBuilder(const JsonReadOptions& options) : options_(options) {}

  enum class Refusal { none, too_deep, duplicate_key, syntax };

  bool null() { return add(Json()); }
  bool boolean(bool v) { return add(Json(v)); }
  bool number_integer(Json::number_integer_t v) { return add(Json(v)); }
  bool number_unsigned(Json::number_unsigned_t v) { return add(Json(v)); }
  bool number_float(Json::number_float_t v, const std::string&) { return add(Json(v)); }
  bool string(Json::string_t& v) { return add(Json(std::move(v))); }
  bool binary(Json::binary_t& v) { return add(Json::binary(std::move(v))); }

  bool start_object(std::size_t) { return open(Json::object()); }
  bool start_array(std::size_t) { return open(Json::array()); }
  bool end_object() { return close(); }
  bool end_array() { return close(); }

  /// Makes the key's slot at once (one lookup), so the value lands there.
  bool key(Json::string_t& k) {
    ++keys_seen_;
    auto& object = stack_.back()->get_ref<Json::object_t&>();
    auto [it, inserted] = object.try_emplace(k);
    if (!inserted && options_.reject_duplicate_keys) {
      refusal_ = Refusal::duplicate_key;
      refused_key_ = k;
      return false;
    }
    slot_ = &it->second;
    return true;
  }

  bool parse_error(std::size_t position, const std::string& last_token, const Json::exception& ex) {
    refusal_ = Refusal::syntax;
    error_position_ = position;
    error_token_ = last_token;
    error_what_ = ex.what();
    return false;
  }

  Json take() { return std::move(root_); }
  Refusal refusal() const { return refusal_; }
  std::size_t opens_seen() const { return opens_seen_; }
  std::size_t keys_seen() const { return keys_seen_; }
  const std::string& refused_key() const { return refused_key_; }
  std::size_t error_position() const { return error_position_; }
  const std::string& error_token() const { return error_token_; }
  const std::string& error_what() const { return error_what_; }

 private:
  /// Places a finished value: as the root, into the open array, or under the pending key.
  Json* place(Json value) {
    if (stack_.empty()) {
      root_ = std::move(value);
      return &root_;
    }
    Json& parent = *stack_.back();
    if (parent.is_array()) {
      parent.get_ref<Json::array_t&>().push_back(std::move(value));
      return &parent.get_ref<Json::array_t&>().back();
    }
    *slot_ = std::move(value);  // a duplicate key's later value wins
    return slot_;
  }

  bool add(Json value) {
    place(std::move(value));
    return true;
  }

  bool open(Json container) {
    ++opens_seen_;
    if (stack_.size() >= options_.max_depth) {
      refusal_ = Refusal::too_deep;
      return false;
    }
    stack_.push_back(place(std::move(container)));
    return true;
  }

  bool close() {
    stack_.pop_back();
    return true;
  }

  const JsonReadOptions& options_;
  Json root_;
  std::vector<Json*> stack_;
  Json* slot_ = nullptr;  ///< where the value of the key just read goes
  Refusal refusal_ = Refusal::none;
  std::size_t opens_seen_ = 0;
  std::size_t keys_seen_ = 0;
  std::string refused_key_;
  std::size_t error_position_ = 0;
  std::string error_token_;
  std::string error_what_;
};

/// Line and column of byte `offset` of `text`.
JsonTextError at(JsonTextError::Kind kind, std::string_view text, std::size_t offset,
                 std::string message) {
  JsonTextError error;
  error.kind = kind;
  error.offset = offset;
  error.message = std::move(message);
  const std::size_t end = std::min(offset, text.size());
  std::size_t line_start = 0;
  for (std::size_t i = 0; i < end; ++i)
    if (text[i] == '\n') ++error.line, line_start = i + 1;
  error.column = end - line_start + 1;
  return error;
}

/// Walks JSON text that is well-formed up to where it is used (the parser got there),
/// finding the offset of the n-th opening bracket or the n-th object key (counted from 1).
class TextWalker {
 public:
  explicit TextWalker(std::string_view text) : text_(text) {}

  std::size_t nth_open(std::size_t n) const {
    std::size_t seen = 0;
    for (std::size_t i = 0; i < text_.size(); ++i) {
      const char c = text_[i];
      if (c == '"') {
        i = string_end(i);
      } else if ((c == '[' || c == '{') && ++seen == n) {
        return i;
      }
    }
    return text_.size();
  }

  std::size_t nth_key(std::size_t n) const {
    std::size_t seen = 0;
    for (std::size_t i = 0; i < text_.size(); ++i) {
      if (text_[i] != '"') continue;
      const std::size_t start = i;
      i = string_end(i);
      std::size_t next = i + 1;
      while (next < text_.size() && is_space(text_[next])) ++next;
      if (next < text_.size() && text_[next] == ':' && ++seen == n) return start;
    }
    return text_.size();
  }

 private:
  static bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

  /// The offset of the quote that closes the string opened at `open`.
  std::size_t string_end(std::size_t open) const {
    for (std::size_t i = open + 1; i < text_.size(); ++i) {
      if (text_[i] == '\\')
        ++i;
      else if (text_[i] == '"')
        return i;
    }
    return text_.size();
  }

  std::string_view text_;
};

/// nlohmann's message without its "[json.exception...] parse error at line L, column C: "
/// prefix (we state the place ourselves), and with the echoed token shortened.
std::string syntax_message(const std::string& what, const std::string& token) {
  std::string message = what;
  if (auto colon = message.find(": ");
      message.starts_with("[json.exception.") && colon != std::string::npos)
    message.erase(0, colon + 2);
  const std::string echoed = "last read: '" + token + "'";
  if (auto at = message.find(echoed); at != std::string::npos && token.size() > kQuotedBytes)
    message.replace(at, echoed.size(), "last read: " + quote(token));
  return message;
}

}  // namespace

std::string JsonTextError::to_string() const {
  return "line " + std::to_string(line) + ", column " + std::to_string(column) + ": " + message;
}

JsonRead read_json_text(std::string_view text, const JsonReadOptions& options) {
  JsonRead out;
  BoundedBuilder builder(options);
  const bool ok = Json::sax_parse(text.begin(), text.end(), &builder);
  // nlohmann's lexer takes a NUL byte for the end of the input (as in a C string), so it
  // accepts "{}\0<anything>"; a NUL is never valid JSON, and what follows it must not
  // pass unread.
  if (const std::size_t nul = text.find('\0'); ok && nul != std::string_view::npos) {
    out.error = at(JsonTextError::Kind::syntax, text, nul,
                   "syntax error - unexpected NUL byte after the value; expected end of input");
    return out;
  }
  if (ok) {
    out.value = builder.take();
    return out;
  }
  // nlohmann checks UTF-8 inside strings (and any other byte is a syntax error), so text
  // that parsed is valid UTF-8; only a failed parse is scanned, to name the bad byte.
  if (auto bad = invalid_utf8_offset(text);
      bad &&
      (builder.refusal() != BoundedBuilder::Refusal::syntax || *bad < builder.error_position())) {
    out.error = at(JsonTextError::Kind::invalid_utf8, text, *bad,
                   "not valid UTF-8 at byte " + std::to_string(*bad) + " (byte value " +
                       std::to_string(static_cast<unsigned char>(text[*bad])) + ")");
    return out;
  }
  const TextWalker walker(text);
  switch (builder.refusal()) {
    case BoundedBuilder::Refusal::too_deep:
      out.error = at(JsonTextError::Kind::too_deep, text, walker.nth_open(builder.opens_seen()),
                     "nested deeper than " + std::to_string(options.max_depth) +
                         " levels of arrays and objects");
      break;
    case BoundedBuilder::Refusal::duplicate_key:
      out.error = at(JsonTextError::Kind::duplicate_key, text, walker.nth_key(builder.keys_seen()),
                     "duplicate key " + quote(builder.refused_key()) + " in one object");
      break;
    case BoundedBuilder::Refusal::syntax:
    case BoundedBuilder::Refusal::none:
      // The parser reports how many bytes it read; the last one is where it stopped.
      out.error = at(JsonTextError::Kind::syntax, text,
                     builder.error_position() > 0 ? builder.error_position() - 1 : 0,
                     syntax_message(builder.error_what(), builder.error_token()));
      break;
  }
  return out;
}

std::optional<std::size_t> invalid_utf8_offset(std::string_view text) {
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t n = text.size();
  for (std::size_t i = 0; i < n;) {
    const unsigned char c = s[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    const std::size_t len = (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
    if (len == 0 || i + len > n) return i;
    std::uint32_t cp = c & (0xFF >> (len + 1));
    for (std::size_t k = 1; k < len; ++k) {
      if ((s[i + k] & 0xC0) != 0x80) return i;
      cp = (cp << 6) | (s[i + k] & 0x3F);
    }
    static constexpr std::uint32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < kMin[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return i;
    i += len;
  }
  return std::nullopt;
}

std::size_t json_depth(const Json& value) {
  std::size_t deepest = 0;
  std::vector<std::pair<const Json*, std::size_t>> pending{{&value, 0}};
  while (!pending.empty()) {
    auto [current, depth] = pending.back();
    pending.pop_back();
    if (!current->is_structured()) continue;
    deepest = std::max(deepest, depth + 1);
    for (const Json& child : *current) pending.emplace_back(&child, depth + 1);
  }
  return deepest;
}

bool within_depth(const Json& value, std::size_t max_depth) {
  std::vector<std::pair<const Json*, std::size_t>> pending{{&value, 0}};
  while (!pending.empty()) {
    auto [current, depth] = pending.back();
    pending.pop_back();
    if (!current->is_structured()) continue;
    if (depth + 1 > max_depth) return false;
    for (const Json& child : *current) pending.emplace_back(&child, depth + 1);
  }
  return true;
}

}  // namespace agdf
