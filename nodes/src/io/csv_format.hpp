#pragma once
// The CSV dialect of csv.write and csv.read: RFC 4180 (which is also what Python's csv
// module writes by default): fields quoted only when they hold the delimiter, a quote, CR
// or LF; quotes doubled inside quotes.

#include <string>
#include <string_view>
#include <vector>

#include "agdf/nodes/config_reader.hpp"
#include "agdf/nodes/function.hpp"
#include "agdf/nodes/item.hpp"

namespace agdf::io {

/// The `delimiter` key: one character, default ",".
ConfigKey delimiter_key();
char read_delimiter(ConfigReader& reader);

/// A value as one CSV cell's text: strings as they are, null as empty, anything else as
/// JSON text (numbers, booleans, nested objects and lists).
std::string cell_text(const Json& value);

/// Appends one row, quoting where needed, ended by `newline`.
void append_csv_row(std::string& out, const std::vector<std::string>& cells, char delimiter,
                    std::string_view newline);

/// Splits CSV bytes into rows, fed in chunks of any size (a quoted cell may span chunks
/// and lines). Empty lines are skipped.
class CsvParser {
 public:
  explicit CsvParser(char delimiter) : delimiter_(delimiter) {}

  /// Adds `bytes`, appending every row they complete to `rows`.
  void feed(std::string_view bytes, std::vector<std::vector<std::string>>& rows);

  /// Ends the input, appending a last row not ended by a newline.
  void finish(std::vector<std::vector<std::string>>& rows);

 private:
  void end_cell();
  void end_row(std::vector<std::vector<std::string>>& rows);

  char delimiter_;
  std::vector<std::string> row_;
  std::string cell_;
  bool in_quotes_ = false;
  bool quote_pending_ = false;  // saw a quote inside quotes: an escape, or the closing one
  bool cell_started_ = false;   // the current row has content (so an empty line is no row)
  bool pending_cr_ = false;
};

}  // namespace agdf::io
