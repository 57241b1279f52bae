// libFuzzer target: graph-file text -> bounded JSON reader -> graph parser -> validation,
// the path every graph_json and every `agdf-server run FILE` takes.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  agdf::fuzz::check_reader_agrees(text);
  agdf::fuzz::validate_parsed(agdf::engine::parse_graph_text(text, "graph_json"));
  return 0;
}
