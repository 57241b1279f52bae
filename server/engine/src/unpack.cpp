#include "unpack.hpp"

#include "agdf/nodes/quote.hpp"

namespace agdf::engine::detail {
namespace {

std::string plural(std::size_t n, const char* word) {
  return std::to_string(n) + " " + word + (n == 1 ? "" : "s");
}

/// Fills parameters left unset from their defaults; reports the ones without a default.
std::optional<std::string> fill_defaults(const std::vector<Param>& params,
                                         const std::string& function, std::vector<Json>& args,
                                         std::vector<bool>& set) {
  std::vector<std::string> missing;
  for (std::size_t i = 0; i < params.size(); ++i) {
    if (set[i]) continue;
    if (params[i].default_value)
      args[i] = *params[i].default_value;
    else
      missing.push_back("'" + params[i].name + "'");
  }
  if (missing.empty()) return std::nullopt;
  std::string names;
  for (std::size_t i = 0; i < missing.size(); ++i)
    names += (i == 0 ? "" : (i + 1 == missing.size() ? " and " : ", ")) + missing[i];
  return function + "() missing " + plural(missing.size(), "required positional argument") + ": " +
         names;
}

std::optional<std::string> bind_keywords(Json::object_t values, const std::vector<Param>& params,
                                         const std::string& function, std::vector<Json>& args) {
  args.assign(params.size(), Json());
  std::vector<bool> set(params.size(), false);
  for (auto& [key, value] : values) {
    std::size_t i = 0;
    while (i < params.size() && params[i].name != key) ++i;
    if (i == params.size()) return function + "() got an unexpected keyword argument " + quote(key);
    args[i] = std::move(value);
    set[i] = true;
  }
  return fill_defaults(params, function, args, set);
}

}  // namespace

std::optional<std::string> bind_positional(Json::array_t values, const std::vector<Param>& params,
                                           const std::string& function, std::vector<Json>& args) {
  if (values.size() > params.size())
    return function + "() takes " + plural(params.size(), "positional argument") + " but " +
           std::to_string(values.size()) + (values.size() == 1 ? " was" : " were") + " given";
  args.clear();
  for (auto& v : values) args.push_back(std::move(v));
  if (args.size() == params.size()) return std::nullopt;
  std::vector<bool> set(params.size(), false);
  std::fill_n(set.begin(), args.size(), true);
  args.resize(params.size());
  return fill_defaults(params, function, args, set);
}

std::optional<std::string> bind_item(Item& item, const std::vector<Param>& params,
                                     bool unpack_input, const std::string& function,
                                     std::vector<Json>& args) {
  // The hot path, one item for one parameter: a swap, no allocation, no copy.
  if (params.size() == 1 && !(unpack_input && item.is_object())) {
    if (args.size() != 1) args.resize(1);
    args[0].swap(item);
    return std::nullopt;
  }
  args.clear();
  if (params.empty()) return std::nullopt;
  if (unpack_input && is_tuple(item))
    return bind_positional(std::move(tuple_elements(item)), params, function, args);
  if (unpack_input && item.is_object())
    return bind_keywords(std::move(item.get_ref<Json::object_t&>()), params, function, args);
  Json::array_t single;
  single.push_back(std::move(item));
  return bind_positional(std::move(single), params, function, args);
}

}  // namespace agdf::engine::detail
