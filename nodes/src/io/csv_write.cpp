#include "csv_format.hpp"
#include "file_target.hpp"
#include "io.hpp"
#include "records.hpp"

namespace agdf::io {
namespace {

struct CsvWriteConfig {
  FileTarget target;
  std::vector<std::string> columns;  ///< empty: the first record's keys
  char delimiter = ',';
  std::string newline = "\r\n";
};

std::string render_rows(const CsvWriteConfig& config, const Json::array_t& records,
                        FileRunState& state, bool fresh) {
  std::string out;
  if (state.columns.empty()) {
    state.columns = config.columns;
    if (state.columns.empty() && !records.empty())
      for (const auto& [key, value] : records.front().items()) state.columns.push_back(key);
  }
  if (state.columns.empty()) return out;
  if (fresh) append_csv_row(out, state.columns, config.delimiter, config.newline);
  std::vector<std::string> cells(state.columns.size());
  for (const Json& record : records) {
    for (std::size_t i = 0; i < cells.size(); ++i) {
      auto it = record.find(state.columns[i]);
      cells[i] = it == record.end() ? std::string() : cell_text(*it);
    }
    append_csv_row(out, cells, config.delimiter, config.newline);
  }
  return out;
}

Prepared prepare(const Json& json, const ValidationContext& context) {
  ConfigReader reader(json);
  CsvWriteConfig config;
  config.target = read_file_target(reader, context);
  for (const Json& column : reader.get<Json::array_t>("columns", {}, "an array of names")) {
    if (column.is_string())
      config.columns.push_back(column.get<std::string>());
    else
      reader.problem("config.columns must be an array of names");
  }
  config.delimiter = read_delimiter(reader);
  const auto ending = reader.get<std::string>("line_ending", "crlf", "a string");
  if (ending != "crlf" && ending != "lf")
    reader.problem("config.line_ending must be \"crlf\" or \"lf\"");
  config.newline = ending == "lf" ? "\n" : "\r\n";
  if (!reader.ok()) return Prepared::fail(std::move(reader.problems()));

  return Prepared::ok({[config](NodeContext& ctx, Args args) -> asio::awaitable<void> {
    auto records = std::make_shared<Json::array_t>(records_of(std::move(args[0]), "csv.write"));
    RenderBlock render = [&config, records](FileRunState& state, bool fresh) {
      return render_rows(config, *records, state, fresh);
    };
    co_await append_block(ctx, config.target, std::move(render));
    Json written = records->size();
    co_await ctx.emit(std::move(written));
  }});
}

}  // namespace

void register_csv_write(Registry& registry) {
  auto keys = file_target_keys("breweries_us.csv");
  keys.push_back({"columns", "the header, in order; default: the first record's keys (sorted)",
                  Json::array({"id", "name", "city"}), false});
  keys.push_back(delimiter_key());
  keys.push_back(
      {"line_ending", "\"crlf\" (RFC 4180, as Python's csv module) or \"lf\"", "crlf", false});
  registry.add({
      .name = "csv.write",
      .description = "Appends a record, or a list of records, as rows of a CSV file in the data "
                     "directory; the header is written once per file per run. Yields the number "
                     "of rows written.",
      .params = {{"rows", std::nullopt}},
      .config_keys = std::move(keys),
      .prepare_in = prepare,
  });
}

}  // namespace agdf::io
