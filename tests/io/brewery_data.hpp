#pragma once
// Brewery-like records as the Open Brewery DB serves them, and the CSV the brewery example
// must make of them: written out by hand for the tricky records, so the test does not
// reuse the code it checks.

#include <cstddef>
#include <string>

#include <nlohmann/json.hpp>

namespace agdf::io_test {

/// `generated` plain records followed by three tricky ones (quotes, commas, a newline,
/// non-ASCII text, numbers, nulls, a missing key and an extra key).
nlohmann::json brewery_records(std::size_t generated);

/// The CSV of brewery_records(generated) in the reference's 16 columns: header once, one
/// row per record in order, CRLF line ends.
std::string expected_brewery_csv(std::size_t generated);

}  // namespace agdf::io_test
