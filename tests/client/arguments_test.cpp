#include <gtest/gtest.h>

#include "agdf/client/arguments.hpp"

namespace agdf::client {
namespace {

TEST(StartArgument, SplitsAtTheFirstEqualsAndKeepsTheArgumentsAsCompactJson) {
  const auto parsed = parse_start_argument(R"(node2=["a=b", 1, {"$tuple": [2, 3]}])");
  ASSERT_TRUE(parsed.value) << parsed.error;
  EXPECT_EQ(parsed.value->node, "node2");
  EXPECT_EQ(parsed.value->args_json, R"(["a=b",1,{"$tuple":[2,3]}])");
}

TEST(StartArgument, AcceptsAnEmptyArrayForNoArguments) {
  const auto parsed = parse_start_argument("extract=[]");
  ASSERT_TRUE(parsed.value);
  EXPECT_EQ(parsed.value->args_json, "[]");
}

TEST(StartArgument, RejectsArgumentsThatAreNotAJsonArray) {
  for (const char* text : {"node=", "node=1", "node=\"x\"", "node=[1", "node={}"}) {
    const auto parsed = parse_start_argument(text);
    EXPECT_FALSE(parsed.value) << text;
    EXPECT_NE(parsed.error.find("must be a JSON array"), std::string::npos) << parsed.error;
  }
}

TEST(StartArgument, RejectsAMissingNodeOrEquals) {
  EXPECT_FALSE(parse_start_argument("node").value);
  EXPECT_FALSE(parse_start_argument("=[]").value);
}

TEST(LabelArgument, SplitsAtTheFirstEquals) {
  const auto parsed = parse_label_argument("team=data=eng");
  ASSERT_TRUE(parsed.value);
  EXPECT_EQ(parsed.value->key, "team");
  EXPECT_EQ(parsed.value->value, "data=eng");
}

TEST(LabelArgument, AllowsAnEmptyValueButNotAnEmptyKey) {
  ASSERT_TRUE(parse_label_argument("k=").value);
  EXPECT_EQ(parse_label_argument("k=").value->value, "");
  EXPECT_FALSE(parse_label_argument("=v").value);
  EXPECT_FALSE(parse_label_argument("kv").value);
}

}  // namespace
}  // namespace agdf::client
