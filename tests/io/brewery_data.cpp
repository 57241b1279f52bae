#include "brewery_data.hpp"

namespace agdf::io_test {
namespace {

std::string padded(std::size_t i) {
  std::string digits = std::to_string(i);
  return std::string(4 - std::min<std::size_t>(4, digits.size()), '0') + digits;
}

nlohmann::json plain_record(std::size_t i) {
  const std::string n = padded(i);
  return {{"id", "b-" + n},
          {"name", "Brewery " + n},
          {"brewery_type", i % 3 == 0 ? "brewpub" : "micro"},
          {"address_1", n + " Main St"},
          {"address_2", nullptr},
          {"address_3", nullptr},
          {"city", "Town " + std::to_string(i % 7)},
          {"state_province", "Oregon"},
          {"postal_code", "97" + n},
          {"country", "United States"},
          {"longitude", "-122." + n},
          {"latitude", "45." + n},
          {"phone", "503555" + n},
          {"website_url", "https://brewery" + n + ".example"},
          {"state", "Oregon"},
          {"street", n + " Main St"}};
}

std::string plain_row(std::size_t i) {
  const std::string n = padded(i);
  return "b-" + n + ",Brewery " + n + "," + (i % 3 == 0 ? "brewpub" : "micro") + "," + n +
         " Main St,,,Town " + std::to_string(i % 7) + ",Oregon,97" + n + ",United States,-122." +
         n + ",45." + n + ",503555" + n + ",https://brewery" + n + ".example,Oregon," + n +
         " Main St\r\n";
}

const char* const kTrickyRecords = R"([
  {"id": "t-1", "name": "Bob's \"Best\", Brewing", "brewery_type": "micro",
   "address_1": "1 First St", "address_2": null, "address_3": null, "city": "Portland",
   "state_province": "Oregon", "postal_code": "97201", "country": "United States",
   "longitude": -122.67648, "latitude": 45.52345, "phone": "5035550100",
   "website_url": "https://bobs.example", "state": "Oregon", "street": "1 First St"},
  {"id": "t-2", "name": "Brasserie Très Bien", "brewery_type": "large",
   "address_1": "2 Rue\nBack door", "address_2": null, "address_3": null, "city": "Austin",
   "state_province": "Texas", "postal_code": "78701", "country": "United States",
   "longitude": null, "latitude": null, "phone": null, "website_url": null,
   "state": "Texas", "street": "2 Rue"},
  {"id": "t-3", "name": " Leading space", "brewery_type": "closed",
   "address_1": null, "address_2": "Unit 3", "city": "Comma, Town",
   "state_province": "Maine", "postal_code": "04101", "country": "United States",
   "longitude": "-70.2", "latitude": "43.6", "phone": "2075550199",
   "website_url": "http://t3.example/?a=1&b=2", "state": "Maine", "extra": "ignored"}
])";

const char* const kTrickyRows =
    "t-1,\"Bob's \"\"Best\"\", Brewing\",micro,1 First St,,,Portland,Oregon,97201,United States,"
    "-122.67648,45.52345,5035550100,https://bobs.example,Oregon,1 First St\r\n"
    "t-2,Brasserie Très Bien,large,\"2 Rue\nBack door\",,,Austin,Texas,78701,United States,"
    ",,,,Texas,2 Rue\r\n"
    "t-3, Leading space,closed,,Unit 3,,\"Comma, Town\",Maine,04101,United States,-70.2,43.6,"
    "2075550199,http://t3.example/?a=1&b=2,Maine,\r\n";

}  // namespace

nlohmann::json brewery_records(std::size_t generated) {
  nlohmann::json records = nlohmann::json::array();
  for (std::size_t i = 1; i <= generated; ++i) records.push_back(plain_record(i));
  for (auto& record : nlohmann::json::parse(kTrickyRecords)) records.push_back(record);
  return records;
}

std::string expected_brewery_csv(std::size_t generated) {
  std::string csv =
      "id,name,brewery_type,address_1,address_2,address_3,city,state_province,postal_code,"
      "country,longitude,latitude,phone,website_url,state,street\r\n";
  for (std::size_t i = 1; i <= generated; ++i) csv += plain_row(i);
  return csv + kTrickyRows;
}

}  // namespace agdf::io_test
