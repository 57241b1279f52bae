#include "agdf/service/problem_status.hpp"

#include <algorithm>

#include "agdf/service/convert.hpp"

namespace agdf::service {
namespace {

std::string cut(std::string text) {
  if (text.size() > kMaxProblemLineBytes) {
    text.resize(kMaxProblemLineBytes - 3);
    text += "...";
  }
  return valid_utf8(text);  // a cut may split a character
}

}  // namespace

std::string status_message(const engine::Problems& problems) {
  // The header and each line as engine::describe_problems writes them.
  std::string text = "invalid graph (" + std::to_string(problems.size()) + " problem" +
                     (problems.size() == 1 ? "" : "s") + "):";
  std::size_t listed = 0;
  std::size_t size = wire_bytes(text);
  for (const engine::Problem& p : problems) {
    std::string line = cut("\n  - " + p.to_string());
    const std::size_t line_size = wire_bytes(line);
    if (listed == kMaxProblemsInStatus || size + line_size > kMaxStatusWireBytes - 64) break;
    text += line;
    size += line_size;
    ++listed;
  }
  if (listed < problems.size())
    text += "\n  ... and " + std::to_string(problems.size() - listed) + " more";
  return valid_utf8(text);
}

void add_problems(const engine::Problems& problems,
                  google::protobuf::RepeatedPtrField<agdf::v1::Problem>& out) {
  const std::size_t listed = std::min(problems.size(), kMaxProblemsInResponse);
  for (std::size_t i = 0; i < listed; ++i) {
    agdf::v1::Problem* p = out.Add();
    p->set_where(cut(problems[i].where));
    p->set_message(cut(problems[i].message));
  }
  if (listed < problems.size())
    out.Add()->set_message("... and " + std::to_string(problems.size() - listed) +
                           " more problems");
}

std::size_t wire_bytes(std::string_view text) {
  std::size_t n = 0;
  for (char c : text) n += (c >= 0x20 && c <= 0x7E && c != '%') ? 1 : 3;
  return n;
}

}  // namespace agdf::service
