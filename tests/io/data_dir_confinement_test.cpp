// Every file a graph names stays inside the data directory: "..", an absolute path
// elsewhere and a symlink that leads out are refused when the graph is validated, and a
// symlink that appears after validation is refused when the file is opened.

#include <gtest/gtest.h>

#include <filesystem>

#include "io_harness.hpp"

namespace agdf::io_test {
namespace {

namespace fs = std::filesystem;

Json writer(const std::string& path) {
  return {{"nodes",
           {{{"name", "rows"}, {"function", "values"}, {"config", {{"values", {{{{"a", 1}}}}}}}},
            {{"name", "w"}, {"function", "csv.write"}, {"config", {{"path", path}}}}}},
          {"edges", edges({{"rows", "w"}})}};
}

Json reader(const std::string& function, const std::string& path) {
  return {{"nodes", {{{"name", "r"}, {"function", function}, {"config", {{"path", path}}}}}}};
}

class DataDirConfinement : public ::testing::Test {
 protected:
  TempDir data;
  TempDir outside;
  IoEngine engine;
};

TEST_F(DataDirConfinement, APathInsideIsAccepted) {
  EXPECT_TRUE(engine.problems(writer("out/rows.csv"), data.path()).empty());
  EXPECT_TRUE(engine.problems(writer((data / "rows.csv").string()), data.path()).empty())
      << "an absolute path inside the data directory is fine";
}

TEST_F(DataDirConfinement, DotDotIsRefusedAtValidation) {
  EXPECT_EQ(engine.problems(writer("../escape.csv"), data.path()),
            (std::vector<std::string>{"node 'w': config.path '../escape.csv' contains '..'"}));
  EXPECT_EQ(engine.problems(writer("a/../../escape.csv"), data.path()).size(), 1u);
}

TEST_F(DataDirConfinement, NulAndOtherControlCharactersAreRefusedAtValidation) {
  // "a\0b" used to be accepted, cut at the NUL by the OS, and write the file "a".
  EXPECT_EQ(engine.problems(writer(std::string("a\0b", 3)), data.path()),
            (std::vector<std::string>{std::string("node 'w': config.path 'a\0b", 26) +
                                      "' has a control character (byte 0) at offset 1"}));
  for (const char* function : {"csv.read", "jsonl.read", "lines.read"})
    EXPECT_EQ(engine.problems(reader(function, "x\ny"), data.path()).size(), 1u) << function;
  EXPECT_EQ(engine.problems(writer("tab\there.csv"), data.path()).size(), 1u);
  EXPECT_FALSE(fs::exists(data / "a"));
}

TEST_F(DataDirConfinement, AnAbsolutePathOutsideIsRefusedAtValidation) {
  for (const char* function : {"csv.read", "jsonl.read", "lines.read"})
    EXPECT_EQ(engine.problems(reader(function, "/etc/passwd"), data.path()),
              (std::vector<std::string>{
                  "node 'r': config.path '/etc/passwd' is outside the data directory"}))
        << function;
  EXPECT_EQ(engine.problems(writer((outside / "x.csv").string()), data.path()).size(), 1u);
}

TEST_F(DataDirConfinement, ASymlinkThatLeadsOutIsRefusedAtValidation) {
  fs::create_directory_symlink(outside.path(), data / "elsewhere");
  write_file(outside / "secret.txt", "secret\n");
  fs::create_symlink(outside / "secret.txt", data / "secret.txt");

  EXPECT_EQ(engine.problems(writer("elsewhere/x.csv"), data.path()),
            (std::vector<std::string>{
                "node 'w': config.path 'elsewhere/x.csv' is outside the data directory"}));
  EXPECT_EQ(engine.problems(reader("lines.read", "secret.txt"), data.path()),
            (std::vector<std::string>{
                "node 'r': config.path 'secret.txt' is outside the data directory"}));
}

TEST_F(DataDirConfinement, ASymlinkThatStaysInsideIsAccepted) {
  fs::create_directory(data / "real");
  fs::create_directory_symlink(data / "real", data / "alias");
  EXPECT_TRUE(engine.problems(writer("alias/x.csv"), data.path()).empty());
}

TEST_F(DataDirConfinement, ASymlinkToNowhereIsRefusedAtValidation) {
  fs::create_symlink(outside / "not-yet.csv", data / "trap.csv");
  EXPECT_EQ(engine.problems(writer("trap.csv"), data.path()),
            (std::vector<std::string>{
                "node 'w': config.path 'trap.csv' is a symlink that leads nowhere"}));
}

TEST_F(DataDirConfinement, ASymlinkMadeAfterValidationIsRefusedWhenTheFileIsOpened) {
  auto plan = engine.plan(writer("late.csv"), data.path());
  fs::create_symlink(outside / "late.csv", data / "late.csv");

  auto run = engine.start(plan)->wait();

  ASSERT_EQ(run.node("w").errors.size(), 1u);
  EXPECT_EQ(run.node("w").errors[0].type, "PermissionError");
  EXPECT_FALSE(fs::exists(outside / "late.csv")) << "nothing was written outside";
}

TEST_F(DataDirConfinement, TheCaFileOfHttpsIsConfinedToo) {
  Json graph = {{"nodes",
                 {{{"name", "g"},
                   {"function", "http.get"},
                   {"config", {{"url", "https://127.0.0.1:1/"}, {"ca_file", "/etc/ssl/x.pem"}}}}}}};
  EXPECT_EQ(engine.problems(graph, data.path()),
            (std::vector<std::string>{
                "node 'g': config.ca_file '/etc/ssl/x.pem' is outside the data directory"}));
}

TEST_F(DataDirConfinement, EveryProblemOfAGraphIsReportedAtOnce) {
  Json graph = {
      {"nodes",
       {{{"name", "a"}, {"function", "csv.read"}, {"config", {{"path", "../a.csv"}}}},
        {{"name", "b"}, {"function", "jsonl.write"}, {"config", {{"path", "/b.jsonl"}}}}}},
      {"edges", edges({{"a", "b"}})}};
  EXPECT_EQ(engine.problems(graph, data.path()).size(), 2u);
}

}  // namespace
}  // namespace agdf::io_test
