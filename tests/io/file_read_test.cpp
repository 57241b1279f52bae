// csv.read, jsonl.read and lines.read: what a file becomes as items, read in chunks off
// the run's strand, and round trips with the writers.

#include <gtest/gtest.h>

#include "io_harness.hpp"

namespace agdf::io_test {
namespace {

Json read_graph(const std::string& function, Json config) {
  return {{"nodes", {{{"name", "r"}, {"function", function}, {"config", config}}}}};
}

class FileRead : public ::testing::Test {
 protected:
  TempDir data;
  IoEngine engine;
};

TEST_F(FileRead, CsvReadYieldsARecordPerRowKeyedByTheHeader) {
  write_file(data / "in.csv",
             "id,name,note\r\n"
             "1,\"Bob's \"\"Best\"\", Brewing\",\"two\nlines\"\r\n"
             "\r\n"
             "2,plain,\r\n"
             "3,short\n");
  auto run = engine.run(read_graph("csv.read", {{"path", "in.csv"}}), data.path(), {"r"});
  EXPECT_EQ(run.outputs_of("r"),
            (std::vector<Item>{
                Json{{"id", "1"}, {"name", "Bob's \"Best\", Brewing"}, {"note", "two\nlines"}},
                Json{{"id", "2"}, {"name", "plain"}, {"note", ""}},
                Json{{"id", "3"}, {"name", "short"}, {"note", nullptr}}}));
}

TEST_F(FileRead, CsvReadTakesConfiguredColumnsForAFileWithoutHeader) {
  write_file(data / "plain.csv", "a;1\nb;2");
  auto run = engine.run(
      read_graph("csv.read", {{"path", "plain.csv"}, {"delimiter", ";"}, {"columns", {"k", "v"}}}),
      data.path(), {"r"});
  EXPECT_EQ(run.outputs_of("r"),
            (std::vector<Item>{Json{{"k", "a"}, {"v", "1"}}, Json{{"k", "b"}, {"v", "2"}}}));
}

TEST_F(FileRead, CsvWrittenThenReadGivesTheRecordsBack) {
  Json records = Json::array();
  for (int i = 0; i < 3000; ++i)  // several 64 KiB chunks, cells cut at chunk edges
    records.push_back(
        {{"id", std::to_string(i)}, {"text", "a, \"quoted\"\r\nvalue " + std::to_string(i)}});
  Json write = {{"nodes",
                 {{{"name", "rows"}, {"function", "values"}, {"config", {{"values", {records}}}}},
                  {{"name", "w"}, {"function", "csv.write"}, {"config", {{"path", "rt.csv"}}}}}},
                {"edges", edges({{"rows", "w"}})}};
  engine.run(write, data.path());
  auto run = engine.run(read_graph("csv.read", {{"path", "rt.csv"}}), data.path(), {"r"});
  EXPECT_EQ(Json(run.outputs_of("r")), records);
}

TEST_F(FileRead, JsonLinesWrittenThenReadGiveTheValuesBack) {
  Json write = {{"nodes",
                 {{{"name", "items"},
                   {"function", "values"},
                   {"config", {{"values", {{{"a", 1}}, Json::array({1, 2}), "text", nullptr}}}}},
                  {{"name", "w"},
                   {"function", "jsonl.write"},
                   {"config", {{"path", "out/v.jsonl"}, {"split_lists", true}}},
                   {"unpack_input", false}}}},
                {"edges", edges({{"items", "w"}})}};
  auto written = engine.run(write, data.path(), {"w"});
  EXPECT_EQ(written.outputs_of("w"), (std::vector<Item>{1, 2, 1, 1}));
  EXPECT_EQ(read_file(data / "out/v.jsonl"), "{\"a\":1}\n1\n2\n\"text\"\nnull\n");

  auto run = engine.run(read_graph("jsonl.read", {{"path", "out/v.jsonl"}}), data.path(), {"r"});
  EXPECT_EQ(run.outputs_of("r"), (std::vector<Item>{Json{{"a", 1}}, 1, 2, "text", nullptr}));
}

TEST_F(FileRead, ALineThatIsNotJsonEndsTheCallAfterTheLinesBeforeIt) {
  write_file(data / "bad.jsonl", "1\n\n2\n{oops\n3\n");
  auto run = engine.run(read_graph("jsonl.read", {{"path", "bad.jsonl"}}), data.path(), {"r"});
  EXPECT_EQ(run.outputs_of("r"), (std::vector<Item>{1, 2}));
  ASSERT_EQ(run.node("r").errors.size(), 1u);
  EXPECT_EQ(run.node("r").errors[0].type, "ValueError");
  EXPECT_EQ(run.node("r").errors[0].message, "line 4 is not JSON");
}

TEST_F(FileRead, LinesReadYieldsEachLineWithoutItsEnding) {
  write_file(data / "t.txt", "one\r\ntwo\n\nlast");
  auto all = engine.run(read_graph("lines.read", {{"path", "t.txt"}}), data.path(), {"r"});
  EXPECT_EQ(all.outputs_of("r"), (std::vector<Item>{"one", "two", "", "last"}));
  auto some = engine.run(read_graph("lines.read", {{"path", "t.txt"}, {"skip_empty", true}}),
                         data.path(), {"r"});
  EXPECT_EQ(some.outputs_of("r"), (std::vector<Item>{"one", "two", "last"}));
}

TEST_F(FileRead, LinesReadGetsThroughAFileOfManyChunks) {
  std::string text;
  for (int i = 0; i < 100000; ++i) text += "line " + std::to_string(i) + "\n";
  write_file(data / "big.txt", text);
  auto run = engine.run(read_graph("lines.read", {{"path", "big.txt"}}), data.path(), {"r"});
  const auto lines = run.outputs_of("r");
  ASSERT_EQ(lines.size(), 100000u);
  EXPECT_EQ(lines[54321], "line 54321");
  EXPECT_EQ(lines.back(), "line 99999");
}

TEST_F(FileRead, AMissingFileIsANodeError) {
  auto run = engine.run(read_graph("lines.read", {{"path", "nope.txt"}}), data.path());
  ASSERT_EQ(run.node("r").errors.size(), 1u);
  EXPECT_EQ(run.node("r").errors[0].type, "OSError");
  EXPECT_EQ(run.node("r").errors[0].message, "cannot open 'nope.txt': No such file or directory");
}

}  // namespace
}  // namespace agdf::io_test
