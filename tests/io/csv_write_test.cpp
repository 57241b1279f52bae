// csv.write: header once per file per run, columns fixed or from the first record, safe
// quoting, and concurrent tasks that never interleave rows.

#include <gtest/gtest.h>

#include <map>
#include <set>

#include "io_harness.hpp"

namespace agdf::io_test {
namespace {

/// `values` yields `items`; csv.write writes them with `config`.
Json write_graph(Json items, Json config, int max_tasks = 1, bool unpack_input = true) {
  return {{"nodes",
           {{{"name", "rows"}, {"function", "values"}, {"config", {{"values", items}}}},
            {{"name", "w"},
             {"function", "csv.write"},
             {"config", config},
             {"max_tasks", max_tasks},
             {"unpack_input", unpack_input}}}},
          {"edges", edges({{"rows", "w"}})}};
}

std::vector<std::string> split_lines(const std::string& text, const std::string& end = "\r\n") {
  std::vector<std::string> lines;
  std::size_t from = 0;
  for (std::size_t at; (at = text.find(end, from)) != std::string::npos; from = at + end.size())
    lines.push_back(text.substr(from, at - from));
  EXPECT_EQ(from, text.size()) << "the file ends with a complete line";
  return lines;
}

class CsvWrite : public ::testing::Test {
 protected:
  TempDir data;
  IoEngine engine{4};
};

TEST_F(CsvWrite, FourConcurrentTasksNeverCorruptARow) {
  constexpr int kPages = 40, kRows = 50;
  const std::string filler(2000, 'x');  // long rows make a torn write likely, were one possible
  Json pages = Json::array();
  for (int p = 0; p < kPages; ++p) {
    Json page = Json::array();
    for (int r = 0; r < kRows; ++r)
      page.push_back({{"page", p}, {"row", r}, {"text", filler + std::to_string(p * kRows + r)}});
    pages.push_back(page);
  }
  auto run =
      engine.run(write_graph(pages, {{"path", "rows.csv"}, {"columns", {"page", "row", "text"}}},
                             /*max_tasks=*/4),
                 data.path());
  EXPECT_EQ(run.stats("w"), (engine::NodeStats{kPages, kPages, 0}));

  const auto lines = split_lines(read_file(data / "rows.csv"));
  ASSERT_EQ(lines.size(), 1u + kPages * kRows);
  EXPECT_EQ(lines[0], "page,row,text");
  std::set<std::pair<int, int>> seen;
  int current_page = -1, rows_in_page = 0;
  for (std::size_t i = 1; i < lines.size(); ++i) {
    const int p = std::stoi(lines[i]);
    const int r = std::stoi(lines[i].substr(lines[i].find(',') + 1));
    EXPECT_EQ(lines[i], std::to_string(p) + "," + std::to_string(r) + "," + filler +
                            std::to_string(p * kRows + r))
        << "line " << i << " is one whole row";
    EXPECT_TRUE(seen.emplace(p, r).second) << "row " << p << "/" << r << " written twice";
    if (p != current_page) {
      EXPECT_EQ(rows_in_page, current_page < 0 ? 0 : kRows) << "a page's rows stay together";
      current_page = p;
      rows_in_page = 0;
    }
    ++rows_in_page;
  }
  EXPECT_EQ(seen.size(), static_cast<std::size_t>(kPages * kRows));
}

TEST_F(CsvWrite, TakesColumnsFromTheFirstRecordAndLeavesMissingFieldsEmpty) {
  Json pages = {{{{"b", 2}, {"a", "x"}}}, {{{"a", "y"}, {"c", "ignored"}}}};
  engine.run(write_graph(pages, {{"path", "t.csv"}}), data.path());
  EXPECT_EQ(read_file(data / "t.csv"), "a,b\r\nx,2\r\ny,\r\n")
      << "the first record's keys, sorted (items are JSON objects)";
}

TEST_F(CsvWrite, QuotesOnlyCellsThatNeedIt) {
  Json page = {{{"v", "plain"}}, {{"v", "a,b"}}, {{"v", "say \"hi\""}}, {{"v", "two\nlines"}},
               {{"v", nullptr}}, {{"v", 1.5}},   {{"v", true}},         {{"v", {{"k", 1}}}}};
  engine.run(write_graph({page}, {{"path", "q.csv"}}), data.path());
  EXPECT_EQ(read_file(data / "q.csv"),
            "v\r\nplain\r\n\"a,b\"\r\n\"say \"\"hi\"\"\"\r\n\"two\nlines\"\r\n\r\n1.5\r\ntrue\r\n"
            "\"{\"\"k\"\":1}\"\r\n");
}

TEST_F(CsvWrite, TakesASingleRecordWhenTheNodeDoesNotUnpackIt) {
  Json records = {{{"a", 1}}, {{"a", 2}}};
  auto run = engine.run(write_graph(records, {{"path", "one.csv"}}, 1, /*unpack_input=*/false),
                        data.path());
  EXPECT_EQ(run.stats("w"), (engine::NodeStats{2, 2, 0}));
  EXPECT_EQ(read_file(data / "one.csv"), "a\r\n1\r\n2\r\n");
}

TEST_F(CsvWrite, YieldsTheNumberOfRowsWritten) {
  Json pages = {{{{"a", 1}}, {{"a", 2}}}, Json::array()};
  Json graph = write_graph(pages, {{"path", "n.csv"}});
  auto run = engine.run(graph, data.path(), {"w"});
  EXPECT_EQ(run.outputs_of("w"), (std::vector<Item>{2, 0}));
}

TEST_F(CsvWrite, AnEmptyFirstPageDoesNotCostTheHeader) {
  engine.run(write_graph({Json::array(), {{{"a", 1}}}}, {{"path", "late.csv"}}), data.path());
  EXPECT_EQ(read_file(data / "late.csv"), "a\r\n1\r\n");
}

TEST_F(CsvWrite, AppendModeAddsRowsAndNoSecondHeader) {
  const Json graph = write_graph({{{{"a", 1}}}}, {{"path", "log.csv"}, {"mode", "append"}});
  engine.run(graph, data.path());
  engine.run(graph, data.path());
  EXPECT_EQ(read_file(data / "log.csv"), "a\r\n1\r\n1\r\n");
}

TEST_F(CsvWrite, TwoNodesWritingOneFileShareOneHeader) {
  Json graph = {
      {"nodes",
       {{{"name", "rows"}, {"function", "values"}, {"config", {{"values", {{{{"a", 1}}}}}}}},
        {{"name", "w1"}, {"function", "csv.write"}, {"config", {{"path", "same.csv"}}}},
        {{"name", "w2"}, {"function", "csv.write"}, {"config", {{"path", "./same.csv"}}}}}},
      {"edges", edges({{"rows", "w1"}, {"rows", "w2"}})}};
  engine.run(graph, data.path());
  EXPECT_EQ(read_file(data / "same.csv"), "a\r\n1\r\n1\r\n");
}

TEST_F(CsvWrite, HonoursDelimiterAndLineEnding) {
  engine.run(write_graph({{{{"a", "x;y"}, {"b", 2}}}},
                         {{"path", "semi.csv"}, {"delimiter", ";"}, {"line_ending", "lf"}}),
             data.path());
  EXPECT_EQ(read_file(data / "semi.csv"), "a;b\n\"x;y\";2\n");
}

TEST_F(CsvWrite, SomethingOtherThanRecordsIsANodeErrorAndNothingIsWritten) {
  auto run =
      engine.run(write_graph({Json::array({{{"a", 1}}, 5})}, {{"path", "bad.csv"}}), data.path());
  ASSERT_EQ(run.node("w").errors.size(), 1u);
  EXPECT_EQ(run.node("w").errors[0].type, "TypeError");
  EXPECT_EQ(read_file(data / "bad.csv"), "");
}

TEST_F(CsvWrite, ABadConfigIsRefusedAtValidation) {
  auto problems = engine.problems(
      write_graph(Json::array(), {{"path", "x.csv"}, {"mode", "sometimes"}, {"delimiter", "ab"}}),
      data.path());
  EXPECT_EQ(
      problems,
      (std::vector<std::string>{
          "node 'w': config.mode must be \"overwrite\" or \"append\"",
          "node 'w': config.delimiter must be one character other than a quote or a newline"}));
}

}  // namespace
}  // namespace agdf::io_test
