// The short paths of the JSON that crosses to and from workers give exactly what
// nlohmann gives: the same text for a value, the same value (and type) for a text.

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <string>

#include "json_text.hpp"

namespace agdf::workers::detail {
namespace {

std::string appended(const Json& value) {
  std::string out = "[";
  append_json(out, value);
  return out;
}

TEST(JsonText, AppendsWhatDumpWrites) {
  const Json values[] = {
      Json(0),
      Json(-1),
      Json(std::numeric_limits<std::int64_t>::min()),
      Json(std::numeric_limits<std::int64_t>::max()),
      Json(std::numeric_limits<std::uint64_t>::max()),
      Json(true),
      Json(false),
      Json(nullptr),
      Json(1.5),
      Json("a \"quoted\" string"),
      Json(std::string("bad utf-8 \xff here")),
      Json::parse(R"({"$tuple": [1, [2, "x"]], "k": {"n": null}})"),
  };
  for (const Json& value : values)
    EXPECT_EQ(appended(value), "[" + value.dump(-1, ' ', false, Json::error_handler_t::replace))
        << value.dump(-1, ' ', false, Json::error_handler_t::replace);
}

TEST(JsonText, ParsesWhatParseReads) {
  const char* texts[] = {"0",
                         "7",
                         "-7",
                         "-0",
                         "123456789012345678",
                         "-123456789012345678",
                         "1234567890123456789",
                         "18446744073709551615",
                         "18446744073709551616",
                         "-9223372036854775808",
                         "00",
                         "01",
                         "-01",
                         "1.5",
                         "1e3",
                         "-",
                         "",
                         " 5",
                         "5 ",
                         "\"5\"",
                         "[5]",
                         "true",
                         "null",
                         "12a"};
  for (const char* text : texts) {
    const Json expected = Json::parse(text, nullptr, /*allow_exceptions=*/false);
    const JsonRead got = parse_json(text);
    EXPECT_EQ(got.error.has_value(), expected.is_discarded()) << text;
    if (!expected.is_discarded()) {
      EXPECT_EQ(got.value.type(), expected.type()) << text;
      EXPECT_EQ(got.value, expected) << text;
    }
  }
}

TEST(WorkerJsonText, AnItemNestedPastTheBoundIsRefusedNotRecursedInto) {
  const std::string deep = std::string(200'000, '[') + std::string(200'000, ']');
  const JsonRead got = parse_json(deep);
  ASSERT_TRUE(got.error.has_value());
  EXPECT_NE(got.error->to_string().find("nested deeper than"), std::string::npos)
      << got.error->to_string();
  EXPECT_FALSE(parse_json("{\"a\": 1, \"a\": 2}").error) << "data may repeat a key";
  EXPECT_TRUE(parse_json("\"\xff\"").error) << "invalid UTF-8";
}

}  // namespace
}  // namespace agdf::workers::detail
