// The item model: JSON values plus a tuple kind written {"$tuple": [...]}.
#include <gtest/gtest.h>

#include "agdf/nodes/item.hpp"

namespace agdf {
namespace {

TEST(Item, MakeTupleWritesTheReservedKey) {
  EXPECT_EQ(make_tuple({1, "a"}), Json::parse(R"({"$tuple": [1, "a"]})"));
  EXPECT_EQ(make_tuple(Json::array_t{}), Json::parse(R"({"$tuple": []})"));
}

TEST(Item, ATupleIsTheOneKeyObjectHoldingAnArray) {
  EXPECT_TRUE(is_tuple(Json::parse(R"({"$tuple": [1, 2]})")));
  EXPECT_TRUE(is_tuple(Json::parse(R"({"$tuple": []})")));
}

TEST(Item, AListIsNotATuple) {
  EXPECT_FALSE(is_tuple(Json::parse("[1, 2]")));
  EXPECT_FALSE(is_tuple(Json::array()));
}

TEST(Item, LookalikesAreNotTuples) {
  EXPECT_FALSE(is_tuple(Json::parse(R"({"$tuple": [1], "other": 2})")));
  EXPECT_FALSE(is_tuple(Json::parse(R"({"$tuple": "12"})")));
  EXPECT_FALSE(is_tuple(Json::parse(R"({"tuple": [1]})")));
  EXPECT_FALSE(is_tuple(Json::object()));
  EXPECT_FALSE(is_tuple(Json("$tuple")));
  EXPECT_FALSE(is_tuple(Json()));
}

TEST(Item, TupleElementsAreTheArray) {
  Item t = make_tuple({1, 2});
  EXPECT_EQ(tuple_elements(t), (Json::array_t{1, 2}));
  tuple_elements(t).push_back(3);
  EXPECT_EQ(t, make_tuple({1, 2, 3}));
}

TEST(Item, DisplayIsPythonLike) {
  EXPECT_EQ(to_display(make_tuple({1, "a"})), R"((1, "a"))");
  EXPECT_EQ(to_display(make_tuple({1})), "(1,)");
  EXPECT_EQ(to_display(make_tuple(Json::array_t{})), "()");
  EXPECT_EQ(to_display(make_tuple({make_tuple({1, 2}), Json::array({3})})), "((1, 2), [3])");
  EXPECT_EQ(to_display(Json("text")), R"("text")");
  EXPECT_EQ(to_display(Json(42)), "42");
  EXPECT_EQ(to_display(Json::parse("[1,2]")), "[1,2]");
}

TEST(Item, TuplesSurviveATextRoundTrip) {
  Item t = make_tuple({1, Json::array({2, 3}), Json::object({{"k", "v"}})});
  Item back = Json::parse(t.dump());
  EXPECT_TRUE(is_tuple(back));
  EXPECT_EQ(back, t);
}

}  // namespace
}  // namespace agdf
