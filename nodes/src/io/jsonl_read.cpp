#include "agdf/nodes/json_text.hpp"
#include "file_source.hpp"
#include "io.hpp"

namespace agdf::io {
namespace {

/// Each non-empty line is one JSON value; a line that is not JSON ends the call.
class JsonLinesDecoder final : public Decoder {
 public:
  void feed(std::string_view bytes, std::vector<Item>& out) override {
    lines_.feed(bytes, [&](const std::string& line) { parse(line, out); });
  }
  void finish(std::vector<Item>& out) override {
    lines_.finish([&](const std::string& line) { parse(line, out); });
  }

 private:
  void parse(const std::string& line, std::vector<Item>& out) {
    ++line_number_;
    if (line.find_first_not_of(" \t") == std::string::npos) return;
    JsonRead read = read_json_text(line, {.reject_duplicate_keys = false});
    if (read.error && read.error->kind == JsonTextError::Kind::syntax)
      throw NodeError("ValueError", "line " + std::to_string(line_number_) + " is not JSON");
    if (read.error)
      throw NodeError("ValueError",
                      "line " + std::to_string(line_number_) + ": " + read.error->message);
    out.push_back(std::move(read.value));
  }

  LineSplitter lines_;
  std::size_t line_number_ = 0;
};

Prepared prepare(const Json& json, const ValidationContext& context) {
  ConfigReader reader(json);
  const auto path = read_file_source(reader, context);
  if (!reader.ok()) return Prepared::fail(std::move(reader.problems()));
  return Prepared::ok({[path](NodeContext& ctx, Args) {
    return emit_file_items(ctx, path, std::make_shared<JsonLinesDecoder>());
  }});
}

}  // namespace

void register_jsonl_read(Registry& registry) {
  registry.add({
      .name = "jsonl.read",
      .description = "Yields the JSON value on each line of a JSON Lines file in the data "
                     "directory (blank lines are skipped; a line that is not JSON is an error).",
      .params = {},
      .config_keys = {file_source_key("breweries.jsonl")},
      .prepare_in = prepare,
  });
}

}  // namespace agdf::io
