// agdf-server: the daemon (`serve`, the default) and the one-shot runner (`run FILE`).
#include <iostream>
#include <string>

#include <CLI/CLI.hpp>

#include "runner/one_shot_run.hpp"

int main(int argc, char** argv) {
  CLI::App app{"agdf-server: hosts node functions and runs dataflow graphs"};
  app.require_subcommand(0, 1);

  agdf::server::OneShotOptions one_shot;
  auto* run = app.add_subcommand("run", "run one graph file in-process and exit");
  run->add_option("file", one_shot.graph_file, "graph file (JSON)")->required();
  run->add_flag("--json", one_shot.json, "print exactly one JSON object with the result");
  run->add_option("--data-dir", one_shot.data_dir, "directory file functions are confined to")
      ->capture_default_str();
  run->add_option("--threads", one_shot.threads, "worker threads")->capture_default_str();

  CLI11_PARSE(app, argc, argv);

  if (run->parsed()) return agdf::server::run_one_shot(one_shot);
  std::cerr << "agdf-server: serve mode is not built yet\n";
  return 64;
}
