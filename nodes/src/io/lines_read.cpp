#include "file_source.hpp"
#include "io.hpp"

namespace agdf::io {
namespace {

class LinesDecoder final : public Decoder {
 public:
  explicit LinesDecoder(bool skip_empty) : skip_empty_(skip_empty) {}

  void feed(std::string_view bytes, std::vector<Item>& out) override {
    lines_.feed(bytes, [&](const std::string& line) { take(line, out); });
  }
  void finish(std::vector<Item>& out) override {
    lines_.finish([&](const std::string& line) { take(line, out); });
  }

 private:
  void take(const std::string& line, std::vector<Item>& out) {
    if (!(skip_empty_ && line.empty())) out.emplace_back(line);
  }

  LineSplitter lines_;
  bool skip_empty_;
};

Prepared prepare(const Json& json, const ValidationContext& context) {
  ConfigReader reader(json);
  const auto path = read_file_source(reader, context);
  const bool skip_empty = reader.get<bool>("skip_empty", false, "a boolean");
  if (!reader.ok()) return Prepared::fail(std::move(reader.problems()));
  return Prepared::ok({[path, skip_empty](NodeContext& ctx, Args) {
    return emit_file_items(ctx, path, std::make_shared<LinesDecoder>(skip_empty));
  }});
}

}  // namespace

void register_lines_read(Registry& registry) {
  registry.add({
      .name = "lines.read",
      .description = "Yields each line of a text file in the data directory as a string, without "
                     "its line ending.",
      .params = {},
      .config_keys = {file_source_key("urls.txt"),
                      {"skip_empty", "leave out empty lines", true, false}},
      .prepare_in = prepare,
  });
}

}  // namespace agdf::io
