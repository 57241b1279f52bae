#include "registration.hpp"

#include <set>

#include "agdf/nodes/json_text.hpp"

namespace agdf::workers::detail {
namespace {

constexpr std::size_t kMaxName = 200;
constexpr std::size_t kMaxDescription = 16 * 1024;
constexpr int kMaxFunctions = 10'000;
constexpr int kMaxParams = 256;
constexpr std::uint32_t kMaxConcurrency = 100'000;

bool valid_utf8(const std::string& text) {
  try {
    (void)Json(text).dump();
    return true;
  } catch (const Json::exception&) {
    return false;
  }
}

/// Empty when `name` can name a function or parameter, else what is wrong with it.
std::string check_name(const std::string& name, const char* what) {
  if (name.empty()) return std::string(what) + " has an empty name";
  if (!valid_utf8(name)) return std::string(what) + " name is not valid UTF-8";
  if (name.size() > kMaxName)
    return std::string(what) + " name is longer than " + std::to_string(kMaxName) + " bytes";
  for (unsigned char c : name)
    if (c < 0x20 || c == 0x7f || c == ' ')
      return std::string(what) + " name '" + name + "' contains a space or control character";
  return {};
}

std::variant<WireParam, std::string> read_param(const v1::WorkerParam& p,
                                                const std::string& function) {
  WireParam param{p.name(), p.has_default(), std::nullopt, p.default_repr()};
  if (auto bad = check_name(p.name(), "a parameter"); !bad.empty())
    return "function '" + function + "': " + bad;
  if (p.has_default_json()) {
    if (!p.has_default())
      return "function '" + function + "': parameter '" + p.name() +
             "' has default_json but has_default is false";
    JsonRead value = read_json_text(p.default_json(), {.reject_duplicate_keys = false});
    if (value.error)
      return "function '" + function + "': the default of parameter '" + p.name() +
             "' is not valid JSON: " + value.error->to_string();
    param.default_json = value.value.dump();
  }
  if (param.default_repr.size() > kMaxName) param.default_repr.resize(kMaxName);
  return param;
}

std::variant<FunctionRegistration, std::string> read_function(const v1::WorkerFunction& f,
                                                              const WorkerOptions& options) {
  if (auto bad = check_name(f.name(), "a function"); !bad.empty()) return bad;
  if (f.description().size() > kMaxDescription)
    return "function '" + f.name() + "': the description is longer than " +
           std::to_string(kMaxDescription) + " bytes";
  if (f.params_size() > kMaxParams)
    return "function '" + f.name() + "' has more than " + std::to_string(kMaxParams) +
           " parameters";
  if (f.concurrency() > kMaxConcurrency)
    return "function '" + f.name() + "': concurrency is over " + std::to_string(kMaxConcurrency);
  FunctionRegistration function{f.name(), f.description(), {}, f.concurrency()};
  if (function.concurrency == 0) function.concurrency = options.default_concurrency;
  std::set<std::string> names;
  for (const auto& p : f.params()) {
    auto param = read_param(p, f.name());
    if (auto* why = std::get_if<std::string>(&param)) return std::move(*why);
    if (!names.insert(p.name()).second)
      return "function '" + f.name() + "': parameter '" + p.name() + "' is declared twice";
    function.signature.params.push_back(std::get<WireParam>(std::move(param)));
  }
  return function;
}

}  // namespace

std::string Signature::describe() const {
  std::string out = "(";
  for (std::size_t i = 0; i < params.size(); ++i) {
    const WireParam& p = params[i];
    out += (i == 0 ? "" : ", ") + p.name;
    if (p.has_default) out += "=" + (p.default_json ? *p.default_json : p.default_repr);
  }
  return out + ")";
}

std::vector<Param> Signature::engine_params() const {
  std::vector<Param> out;
  out.reserve(params.size());
  for (const WireParam& p : params) {
    std::optional<Json> default_value;
    if (p.default_json)
      default_value = Json::parse(*p.default_json);
    else if (p.has_default)
      default_value = Json{{kWorkerDefaultKey, p.default_repr}};
    out.push_back({p.name, std::move(default_value)});
  }
  return out;
}

std::variant<Registration, std::string> read_registration(const v1::Register& message,
                                                          const WorkerOptions& options) {
  Registration registration{message.worker_name(), {}};
  if (registration.worker_name.empty()) registration.worker_name = "worker";
  if (auto bad = check_name(registration.worker_name, "the worker"); !bad.empty()) return bad;
  if (message.functions_size() == 0) return "the worker registers no functions";
  if (message.functions_size() > kMaxFunctions)
    return "the worker registers more than " + std::to_string(kMaxFunctions) + " functions";
  std::set<std::string> names;
  for (const auto& f : message.functions()) {
    auto function = read_function(f, options);
    if (auto* why = std::get_if<std::string>(&function)) return std::move(*why);
    if (!names.insert(f.name()).second)
      return "function '" + f.name() + "' is registered twice by this worker";
    registration.functions.push_back(std::get<FunctionRegistration>(std::move(function)));
  }
  return registration;
}

bool is_worker_default(const Json& arg) noexcept {
  return arg.is_object() && arg.size() == 1 && arg.begin().key() == kWorkerDefaultKey;
}

}  // namespace agdf::workers::detail
