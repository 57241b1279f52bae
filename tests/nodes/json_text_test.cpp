// The bounded JSON reader every client-controlled JSON text goes through, and the quoting
// of client values in messages.
#include <gtest/gtest.h>

#include "agdf/nodes/json_text.hpp"
#include "agdf/nodes/quote.hpp"

namespace agdf {
namespace {

using Kind = JsonTextError::Kind;

std::string nested_arrays(std::size_t depth) {
  return std::string(depth, '[') + std::string(depth, ']');
}

/// A value nested `depth` deep, built without recursion.
Json deep_value(std::size_t depth) {
  Json value = Json::array();
  for (std::size_t i = 1; i < depth; ++i) {
    Json outer = Json::array();
    outer.push_back(std::move(value));
    value = std::move(outer);
  }
  return value;
}

TEST(JsonText, ReadsValidJsonAsNlohmannDoes) {
  const std::string text =
      R"({"a": [1, -2, 3.5, "x", null, true], "b": {"c": 18446744073709551615}})";
  JsonRead read = read_json_text(text);
  ASSERT_FALSE(read.error) << read.error->to_string();
  EXPECT_EQ(read.value, Json::parse(text));
}

TEST(JsonText, NestingUpToTheBoundIsRead) {
  JsonRead read = read_json_text(nested_arrays(kMaxJsonDepth));
  ASSERT_FALSE(read.error) << read.error->to_string();
  EXPECT_EQ(json_depth(read.value), kMaxJsonDepth);
}

TEST(JsonText, NestingPastTheBoundIsRefusedWhereItHappens) {
  // 100,000 levels: the size that crashed the daemon when the value was copied.
  JsonRead read = read_json_text("{\"x\":\n " + nested_arrays(100'000) + "}");
  ASSERT_TRUE(read.error);
  EXPECT_EQ(read.error->kind, Kind::too_deep);
  EXPECT_EQ(read.error->line, 2u);
  EXPECT_EQ(read.error->column, kMaxJsonDepth + 1);  // the 101st open, after one space
  EXPECT_EQ(read.error->to_string(),
            "line 2, column 101: nested deeper than 100 levels of arrays and objects");
}

TEST(JsonText, ADuplicateKeyIsRefusedUnlessTheCallerAllowsIt) {
  const std::string text = "{\"start_nodes\": {\"a\": [],\n  \"a\": [1]}}";
  JsonRead strict = read_json_text(text);
  ASSERT_TRUE(strict.error);
  EXPECT_EQ(strict.error->kind, Kind::duplicate_key);
  EXPECT_EQ(strict.error->to_string(), "line 2, column 3: duplicate key 'a' in one object");

  JsonRead lenient = read_json_text(text, {.reject_duplicate_keys = false});
  ASSERT_FALSE(lenient.error);
  EXPECT_EQ(lenient.value["start_nodes"]["a"], Json::array({1}));
}

TEST(JsonText, SyntaxErrorsSayLineColumnAndWhatWasExpected) {
  JsonRead read = read_json_text("{\n  \"a\": 1,\n  }");
  ASSERT_TRUE(read.error);
  EXPECT_EQ(read.error->kind, Kind::syntax);
  EXPECT_EQ(read.error->line, 3u);
  EXPECT_EQ(read.error->column, 3u);
  EXPECT_NE(read.error->message.find("expected string literal"), std::string::npos)
      << read.error->message;
  EXPECT_EQ(read.error->message.find("json.exception"), std::string::npos);

  JsonRead empty = read_json_text("");
  ASSERT_TRUE(empty.error);
  EXPECT_NE(empty.error->message.find("unexpected end of input"), std::string::npos);
}

TEST(JsonText, ANulByteEndsNothing) {
  // nlohmann's lexer stops at a NUL as at the end of the input; what follows must not be
  // ignored (here it is not even UTF-8). Found by fuzz/graph_text_fuzzer.
  const std::string after("{\"a\": 1}\n\0\x8d garbage", 20);
  JsonRead read = read_json_text(after);
  ASSERT_TRUE(read.error);
  EXPECT_EQ(read.error->kind, Kind::syntax);
  EXPECT_EQ(read.error->to_string(),
            "line 2, column 1: syntax error - unexpected NUL byte after the value; expected "
            "end of input");

  const std::string inside("{\"a\": \0 1}", 11);
  JsonRead early = read_json_text(inside);
  ASSERT_TRUE(early.error);
  EXPECT_EQ(early.error->kind, Kind::syntax);
  EXPECT_EQ(early.error->column, 7u);
}

TEST(JsonText, ASyntaxErrorQuotesALongTokenShortened) {
  // A 100 KB string with a control character at its end: nlohmann echoes the whole token.
  JsonRead read = read_json_text("[\"" + std::string(100'000, 'x') + "\x01\"]");
  ASSERT_TRUE(read.error);
  EXPECT_LT(read.error->message.size(), 400u) << read.error->message.substr(0, 400);
  EXPECT_NE(read.error->message.find("bytes)"), std::string::npos) << read.error->message;
}

TEST(JsonText, InvalidUtf8IsRefusedWithItsByteOffset) {
  JsonRead read = read_json_text("{\"a\": \"ok\",\n \"b\": \"\xff\"}");
  ASSERT_TRUE(read.error);
  EXPECT_EQ(read.error->kind, Kind::invalid_utf8);
  EXPECT_EQ(read.error->offset, 19u);
  EXPECT_EQ(read.error->to_string(),
            "line 2, column 8: not valid UTF-8 at byte 19 (byte value 255)");
}

TEST(JsonText, Utf8CheckRefusesOverlongSurrogatesAndTruncatedSequences) {
  EXPECT_EQ(invalid_utf8_offset("plain ascii"), std::nullopt);
  EXPECT_EQ(invalid_utf8_offset("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80"), std::nullopt);
  EXPECT_EQ(invalid_utf8_offset("a\xc0\xaf"), 1u);            // overlong '/'
  EXPECT_EQ(invalid_utf8_offset("ab\xed\xa0\x80"), 2u);       // a UTF-16 surrogate
  EXPECT_EQ(invalid_utf8_offset("abc\xf4\x90\x80\x80"), 3u);  // past U+10FFFF
  EXPECT_EQ(invalid_utf8_offset("abcd\xe2\x82"), 4u);         // cut short
  EXPECT_EQ(invalid_utf8_offset("\x80"), 0u);                 // a lone continuation byte
}

TEST(JsonText, DepthIsMeasuredWithoutRecursion) {
  const Json deep = deep_value(200'000);
  EXPECT_EQ(json_depth(deep), 200'000u);
  EXPECT_FALSE(within_depth(deep));
  EXPECT_TRUE(within_depth(deep_value(kMaxJsonDepth)));
  EXPECT_EQ(json_depth(Json(3)), 0u);
  EXPECT_EQ(json_depth(Json::parse(R"({"a": [1, {"b": []}]})")), 4u);
}

TEST(Quote, ShortValuesAreShownWhole) {
  EXPECT_EQ(quote("load"), "'load'");
  EXPECT_EQ(shorten(std::string(kQuotedBytes, 'x')), std::string(kQuotedBytes, 'x'));
}

TEST(Quote, LongValuesAreCutAndTheirSizeSaid) {
  EXPECT_EQ(shorten(std::string(100'000, 'x')), std::string(64, 'x') + "... (100000 bytes)");
  // Never in the middle of a character: 63 ASCII bytes, then a 2-byte character.
  const std::string text = std::string(63, 'a') + "\xc3\xa9" + std::string(10, 'b');
  EXPECT_EQ(shorten(text), std::string(63, 'a') + "... (75 bytes)");
  EXPECT_EQ(shorten_json(Json(std::string(1000, 'y'))),
            std::string(1, '"').append(63, 'y').append("... (1002 bytes)"));
}

}  // namespace
}  // namespace agdf
