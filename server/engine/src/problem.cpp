#include "agdf/engine/problem.hpp"

namespace agdf::engine {

std::string describe_problems(const Problems& problems) {
  std::string text = "invalid graph (" + std::to_string(problems.size()) + " problem" +
                     (problems.size() == 1 ? "" : "s") + "):";
  for (const Problem& p : problems) text += "\n  - " + p.to_string();
  return text;
}

}  // namespace agdf::engine
