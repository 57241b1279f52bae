#include "file_target.hpp"

#include "data_path.hpp"
#include "posix_file.hpp"

namespace agdf::io {

std::vector<ConfigKey> file_target_keys(const char* example_path) {
  return {{"path", "the file, relative to the data directory", example_path, true},
          {"mode", "\"overwrite\": the run's first write replaces the file; \"append\": add to it",
           "overwrite", false}};
}

FileTarget read_file_target(ConfigReader& reader, const ValidationContext& context) {
  FileTarget target;
  target.path = reader.get<std::string>("path", "", "a string");
  if (auto problem = data_path_problem(context.data_dir, target.path))
    reader.problem("config.path " + *problem);
  const auto mode = reader.get<std::string>("mode", "overwrite", "a string");
  if (mode != "overwrite" && mode != "append")
    reader.problem("config.mode must be \"overwrite\" or \"append\"");
  target.append = mode == "append";
  return target;
}

asio::awaitable<void> append_block(NodeContext& ctx, const FileTarget& target, RenderBlock render) {
  auto state = ctx.run_resource<FileRunState>("file:" + data_path_key(target.path));
  auto work = [state, target, data_dir = ctx.data_dir(), render = std::move(render)] {
    std::lock_guard lock(state->mutex);
    const auto path = resolve_data_path(data_dir, target.path);
    const bool truncate = !state->started && !target.append;
    PosixFile file(path, truncate ? PosixFile::Mode::truncate : PosixFile::Mode::append,
                   target.path);
    const bool fresh = !state->started && (truncate || file.empty());
    std::string block = render(*state, fresh);
    if (block.empty()) return;  // nothing started the file yet: the next block still may
    state->started = true;
    file.write_all(block);
  };
  co_await ctx.offload(std::move(work));
}

}  // namespace agdf::io
