#include <gtest/gtest.h>

#include "agdf/client/graph_text.hpp"

namespace agdf::client {
namespace {

using nlohmann::json;

TEST(ConditionText, AComparisonReadsAsFieldOpValue) {
  EXPECT_EQ(condition_text(json::parse(R"({"field": "state", "op": "==", "value": "California"})")),
            "state == \"California\"");
  EXPECT_EQ(condition_text(json::parse(R"({"field": "address.city", "op": "!=", "value": null})")),
            "address.city != null");
  EXPECT_EQ(condition_text(json::parse(R"({"op": ">", "value": 10})")), "item > 10");
  EXPECT_EQ(condition_text(json::parse(R"({"field": "tags[0]", "op": "in", "value": ["a", "b"]})")),
            "tags[0] in [\"a\", \"b\"]");
  EXPECT_EQ(condition_text(json::parse(R"({"field": "t", "op": "not_in", "value": [1]})")),
            "t not in [1]");
  EXPECT_EQ(condition_text(json::parse(R"({"field": "s", "op": "contains", "value": "x"})")),
            "s contains \"x\"");
}

TEST(ConditionText, ExistsReadsAsASentence) {
  EXPECT_EQ(condition_text(json::parse(R"({"field": "id", "op": "exists", "value": true})")),
            "id exists");
  EXPECT_EQ(condition_text(json::parse(R"({"field": "id", "op": "exists", "value": false})")),
            "id does not exist");
}

TEST(ConditionText, CombinationsKeepTheirGroupingVisible) {
  const auto when = json::parse(R"({"all": [
      {"any": [{"field": "a", "op": ">", "value": 1}, {"field": "b", "op": "<", "value": 2}]},
      {"not": {"field": "c", "op": "exists", "value": true}},
      {"field": "d", "op": "==", "value": {"$tuple": [1, "x"]}}]})");
  EXPECT_EQ(condition_text(when), "(a > 1 or b < 2) and (not (c exists)) and d == (1, \"x\")");
  EXPECT_EQ(condition_text(json::parse(R"({"all": []})")), "true");
  EXPECT_EQ(condition_text(json::parse(R"({"any": [{"op": "==", "value": 1}]})")), "item == 1");
}

TEST(ConditionText, WhatIsNotAConditionStaysJsonAndNullIsEmpty) {
  EXPECT_EQ(condition_text(json()), "");
  EXPECT_EQ(condition_text(json::parse(R"({"field": "a", "op": "~", "value": 1})")),
            R"({"field":"a","op":"~","value":1})");
  EXPECT_EQ(condition_text(json::parse("[1, 2]")), "[1,2]");
}

TEST(QueueText, KindThenItsSettings) {
  EXPECT_EQ(queue_text(json()), "fifo");
  EXPECT_EQ(queue_text(json::parse(R"({"kind": "batch", "size": 4, "max_wait_ms": 500})")),
            "batch max_wait_ms=500 size=4");
  EXPECT_EQ(queue_text(json::parse(R"({"kind": "zip", "sources": ["a", "b"]})")),
            "zip sources=a,b");
  EXPECT_EQ(queue_text(json::parse(R"({"kind": "preload", "items": [1, 2, 3]})")),
            "preload items=3");
}

}  // namespace
}  // namespace agdf::client
