#include "csv_format.hpp"

namespace agdf::io {

ConfigKey delimiter_key() {
  return {"delimiter", "the cell separator, one character", ",", false};
}

char read_delimiter(ConfigReader& reader) {
  const auto delimiter = reader.get<std::string>("delimiter", ",", "a string");
  if (delimiter.size() != 1 || delimiter == "\"" || delimiter == "\r" || delimiter == "\n") {
    reader.problem("config.delimiter must be one character other than a quote or a newline");
    return ',';
  }
  return delimiter[0];
}

std::string cell_text(const Json& value) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_null()) return {};
  return value.dump();
}

void append_csv_row(std::string& out, const std::vector<std::string>& cells, char delimiter,
                    std::string_view newline) {
  for (std::size_t i = 0; i < cells.size(); ++i) {
    if (i > 0) out += delimiter;
    const std::string& cell = cells[i];
    const bool quote =
        cell.find_first_of(std::string{delimiter, '"', '\r', '\n'}) != std::string::npos;
    if (!quote) {
      out += cell;
      continue;
    }
    out += '"';
    for (char c : cell) {
      if (c == '"') out += '"';
      out += c;
    }
    out += '"';
  }
  out += newline;
}

void CsvParser::feed(std::string_view bytes, std::vector<std::vector<std::string>>& rows) {
  for (char c : bytes) {
    if (pending_cr_) {
      pending_cr_ = false;
      if (c != '\n')
        cell_ += '\r';  // a lone CR inside an unquoted cell stays text
      else {
        end_row(rows);
        continue;
      }
    }
    if (quote_pending_) {
      quote_pending_ = false;
      if (c == '"') {
        cell_ += '"';
        continue;
      }
      in_quotes_ = false;  // that quote closed the cell; c is handled below
    }
    if (in_quotes_) {
      if (c == '"')
        quote_pending_ = true;
      else
        cell_ += c;
      continue;
    }
    if (c == '"' && cell_.empty()) {
      in_quotes_ = true;
      cell_started_ = true;
    } else if (c == delimiter_) {
      end_cell();
      cell_started_ = true;
    } else if (c == '\r') {
      pending_cr_ = true;
    } else if (c == '\n') {
      end_row(rows);
    } else {
      cell_ += c;
      cell_started_ = true;
    }
  }
}

void CsvParser::finish(std::vector<std::vector<std::string>>& rows) {
  if (pending_cr_) pending_cr_ = false;
  quote_pending_ = false;
  in_quotes_ = false;
  end_row(rows);
}

void CsvParser::end_cell() {
  row_.push_back(std::move(cell_));
  cell_.clear();
}

void CsvParser::end_row(std::vector<std::vector<std::string>>& rows) {
  if (cell_started_) {
    end_cell();
    rows.push_back(std::move(row_));
  }
  row_.clear();
  cell_.clear();
  cell_started_ = false;
}

}  // namespace agdf::io
