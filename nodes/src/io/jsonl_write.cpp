#include "file_target.hpp"
#include "io.hpp"

namespace agdf::io {
namespace {

Prepared prepare(const Json& json, const ValidationContext& context) {
  ConfigReader reader(json);
  const FileTarget target = read_file_target(reader, context);
  const bool split_lists = reader.get<bool>("split_lists", false, "a boolean");
  if (!reader.ok()) return Prepared::fail(std::move(reader.problems()));

  return Prepared::ok({[target, split_lists](NodeContext& ctx, Args args) -> asio::awaitable<void> {
    std::string block;
    std::size_t lines = 0;
    const auto add = [&](const Json& value) {
      block += value.dump();
      block += '\n';
      ++lines;
    };
    if (split_lists && args[0].is_array())
      for (const Json& value : args[0]) add(value);
    else
      add(args[0]);
    RenderBlock render = [block = std::move(block)](FileRunState&, bool) { return block; };
    co_await append_block(ctx, target, std::move(render));
    Json written = lines;
    co_await ctx.emit(std::move(written));
  }});
}

}  // namespace

void register_jsonl_write(Registry& registry) {
  auto keys = file_target_keys("breweries.jsonl");
  keys.push_back(
      {"split_lists", "write each element of a list input as its own line", true, false});
  registry.add({
      .name = "jsonl.write",
      .description = "Appends its input as one line of JSON to a file in the data directory (a "
                     "list as one line per element with split_lists). Yields the number of "
                     "lines written.",
      .params = {{"item", std::nullopt}},
      .config_keys = std::move(keys),
      .prepare_in = prepare,
  });
}

}  // namespace agdf::io
