#include "client/cli_fixture.hpp"

#include <unistd.h>

#include <fstream>
#include <memory>

namespace agdf::client::testing {

ServerProcess& shared_server() {
  static const auto server = std::make_unique<ServerProcess>();
  return *server;
}

std::vector<std::string> agdf_command(const std::string& address,
                                      const std::vector<std::string>& args) {
  std::vector<std::string> argv{AGDF_CLI, "--server", address};
  argv.insert(argv.end(), args.begin(), args.end());
  return argv;
}

Finished agdf(const std::vector<std::string>& args) {
  return run_to_end(agdf_command(shared_server().address(), args), kCliTimeout);
}

Finished agdf_raw(const std::vector<std::string>& args, const ChildOptions& options) {
  std::vector<std::string> argv{AGDF_CLI};
  argv.insert(argv.end(), args.begin(), args.end());
  return run_to_end(argv, kCliTimeout, options);
}

std::vector<json> json_lines(const Finished& result) {
  std::vector<json> values;
  for (const auto& line : result.out_lines()) {
    json value = json::parse(line, nullptr, false);
    EXPECT_FALSE(value.is_discarded()) << "not a JSON line: " << line;
    if (!value.is_discarded()) values.push_back(std::move(value));
  }
  return values;
}

std::string example(const std::string& file) {
  return std::string(AGDF_EXAMPLES_DIR) + "/" + file;
}

TempGraph::TempGraph(const std::string& text) {
  std::string pattern = (std::filesystem::temp_directory_path() / "agdf-cli-test-XXXXXX").string();
  dir_ = mkdtemp(pattern.data());
  path_ = dir_ / "graph.json";
  std::ofstream(path_) << text;
}

TempGraph::~TempGraph() {
  std::error_code ignored;
  std::filesystem::remove_all(dir_, ignored);
}

void expect_complete_event_stream(const std::vector<json>& events) {
  ASSERT_FALSE(events.empty());
  EXPECT_EQ(events.front().at("type"), "started");
  EXPECT_EQ(events.back().at("type"), "finished");
  for (std::size_t i = 0; i < events.size(); ++i) {
    EXPECT_EQ(events[i].at("seq"), i + 1) << events[i].dump();
    EXPECT_EQ(events[i].at("run_id"), events.front().at("run_id"));
  }
}

std::string unique_label(const std::string& test_name) {
  return test_name + "-" + std::to_string(getpid());
}

}  // namespace agdf::client::testing
