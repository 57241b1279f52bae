#include "agdf/engine/run_result.hpp"

#include "agdf/engine/run_options.hpp"

namespace agdf::engine {

std::string format_data_flow_line(const std::string& format, const std::string& node,
                                  std::uint64_t in, std::uint64_t out, std::uint64_t err) {
  std::string line;
  line.reserve(format.size() + node.size() + 16);
  for (std::size_t i = 0; i < format.size(); ++i) {
    auto placeholder = [&](std::string_view name) {
      return format.compare(i, name.size(), name) == 0 ? name.size() : 0;
    };
    if (std::size_t n = placeholder("{node}"))
      line += node, i += n - 1;
    else if ((n = placeholder("{in}")))
      line += std::to_string(in), i += n - 1;
    else if ((n = placeholder("{out}")))
      line += std::to_string(out), i += n - 1;
    else if ((n = placeholder("{err}")))
      line += std::to_string(err), i += n - 1;
    else
      line += format[i];
  }
  return line;
}

}  // namespace agdf::engine
