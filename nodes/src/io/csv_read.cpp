#include "csv_format.hpp"
#include "file_source.hpp"
#include "io.hpp"

namespace agdf::io {
namespace {

/// Rows to records keyed by the header (the file's first row, or configured columns).
class CsvDecoder final : public Decoder {
 public:
  CsvDecoder(char delimiter, std::vector<std::string> columns)
      : parser_(delimiter), columns_(std::move(columns)) {}

  void feed(std::string_view bytes, std::vector<Item>& out) override {
    parser_.feed(bytes, rows_);
    take_rows(out);
  }
  void finish(std::vector<Item>& out) override {
    parser_.finish(rows_);
    take_rows(out);
  }

 private:
  void take_rows(std::vector<Item>& out) {
    for (auto& row : rows_) {
      if (columns_.empty()) {
        columns_ = std::move(row);
        continue;
      }
      Json record = Json::object();
      for (std::size_t i = 0; i < columns_.size(); ++i)
        record[columns_[i]] = i < row.size() ? Json(std::move(row[i])) : Json();
      out.push_back(std::move(record));
    }
    rows_.clear();
  }

  CsvParser parser_;
  std::vector<std::string> columns_;
  std::vector<std::vector<std::string>> rows_;
};

Prepared prepare(const Json& json, const ValidationContext& context) {
  ConfigReader reader(json);
  const auto path = read_file_source(reader, context);
  const char delimiter = read_delimiter(reader);
  std::vector<std::string> columns;
  for (const Json& column : reader.get<Json::array_t>("columns", {}, "an array of names")) {
    if (column.is_string())
      columns.push_back(column.get<std::string>());
    else
      reader.problem("config.columns must be an array of names");
  }
  if (!reader.ok()) return Prepared::fail(std::move(reader.problems()));
  return Prepared::ok({[path, delimiter, columns](NodeContext& ctx, Args) {
    return emit_file_items(ctx, path, std::make_shared<CsvDecoder>(delimiter, columns));
  }});
}

}  // namespace

void register_csv_read(Registry& registry) {
  registry.add({
      .name = "csv.read",
      .description = "Yields each row of a CSV file in the data directory as a record keyed by "
                     "the header row (cells are strings; a short row's missing cells are null).",
      .params = {},
      .config_keys = {file_source_key("breweries_us.csv"),
                      delimiter_key(),
                      {"columns",
                       "the keys, in order, for a file without a header row (then every row is "
                       "data)",
                       Json::array({"id", "name"}), false}},
      .prepare_in = prepare,
  });
}

}  // namespace agdf::io
