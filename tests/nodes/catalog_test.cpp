// The live catalog: built-ins fixed, other functions come and go, snapshots never change.
#include <gtest/gtest.h>

#include "agdf/nodes/catalog.hpp"

namespace agdf {
namespace {

FunctionDef function(std::string name) {
  FunctionDef def;
  def.name = std::move(name);
  def.prepare = [](const Json&) { return Prepared::fail({"unused"}); };
  return def;
}

Catalog catalog_with_builtin() {
  Registry fixed;
  fixed.add(function("echo"));
  return Catalog(std::move(fixed));
}

TEST(Catalog, ASnapshotKeepsWhatItSawWhateverChangesAfter) {
  Catalog catalog = catalog_with_builtin();
  auto before = catalog.snapshot();
  ASSERT_TRUE(catalog.put(function("remote")));
  auto after = catalog.snapshot();
  EXPECT_EQ(before->find("remote"), nullptr);
  ASSERT_NE(after->find("remote"), nullptr);
  ASSERT_TRUE(catalog.remove("remote"));
  EXPECT_NE(after->find("remote"), nullptr);  // still valid for whoever holds it
  EXPECT_EQ(catalog.snapshot()->find("remote"), nullptr);
}

TEST(Catalog, FixedFunctionsCannotBeReplacedOrRemoved) {
  Catalog catalog = catalog_with_builtin();
  EXPECT_TRUE(catalog.is_fixed("echo"));
  EXPECT_FALSE(catalog.put(function("echo")));
  EXPECT_FALSE(catalog.remove("echo"));
  EXPECT_NE(catalog.snapshot()->find("echo"), nullptr);
}

TEST(Catalog, PutReplacesAChangingFunction) {
  Catalog catalog = catalog_with_builtin();
  FunctionDef first = function("remote");
  first.description = "first";
  FunctionDef second = function("remote");
  second.description = "second";
  second.workers = std::vector<std::string>{"w1"};
  catalog.put(std::move(first));
  catalog.put(std::move(second));
  const FunctionDef* now = catalog.snapshot()->find("remote");
  ASSERT_NE(now, nullptr);
  EXPECT_EQ(now->description, "second");
  EXPECT_EQ(*now->workers, std::vector<std::string>{"w1"});
  EXPECT_FALSE(catalog.remove("never-there"));
}

}  // namespace
}  // namespace agdf
