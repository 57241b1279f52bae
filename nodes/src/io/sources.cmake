# Real-world functions: HTTP (Beast + OpenSSL), files confined to the data directory, and
# record shaping. One function per file; shared helpers next to them.
find_package(OpenSSL REQUIRED)

target_sources(agdf_nodes PRIVATE
  src/io/register_io_nodes.cpp
  src/io/data_path.cpp
  src/io/posix_file.cpp
  src/io/file_target.cpp
  src/io/file_source.cpp
  src/io/csv_format.cpp
  src/io/records.cpp
  src/io/url.cpp
  src/io/egress_policy.cpp
  src/io/http_client.cpp
  src/io/http_config.cpp
  src/io/http_get.cpp
  src/io/http_paginate.cpp
  src/io/csv_write.cpp
  src/io/csv_read.cpp
  src/io/jsonl_write.cpp
  src/io/jsonl_read.cpp
  src/io/lines_read.cpp
  src/io/json_pick.cpp
  src/io/json_flatten.cpp
  src/io/filter.cpp
)
target_link_libraries(agdf_nodes PUBLIC OpenSSL::SSL OpenSSL::Crypto)
