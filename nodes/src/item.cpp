#include "agdf/nodes/item.hpp"

namespace agdf {

Item make_tuple(Json::array_t elements) {
  Item item = Json::object();
  item.emplace(kTupleKey, std::move(elements));
  return item;
}

Item make_tuple(std::initializer_list<Json> elements) {
  return make_tuple(Json::array_t(elements.begin(), elements.end()));
}

bool is_tuple(const Item& item) noexcept {
  if (!item.is_object() || item.size() != 1) return false;
  auto it = item.find(kTupleKey);
  return it != item.end() && it->is_array();
}

const Json::array_t& tuple_elements(const Item& item) {
  return item.at(kTupleKey).get_ref<const Json::array_t&>();
}

Json::array_t& tuple_elements(Item& item) {
  return item.at(kTupleKey).get_ref<Json::array_t&>();
}

std::string to_display(const Item& item) {
  if (is_tuple(item)) {
    const auto& elements = tuple_elements(item);
    std::string out = "(";
    for (std::size_t i = 0; i < elements.size(); ++i) {
      if (i) out += ", ";
      out += to_display(elements[i]);
    }
    if (elements.size() == 1) out += ",";
    return out + ")";
  }
  return item.dump();
}

}  // namespace agdf
