#pragma once
/// Builds a proto message from text format, so tests state events the way they read.

#include <string>

#include <google/protobuf/text_format.h>
#include <gtest/gtest.h>

namespace agdf::client::testing {

template <typename Message>
Message from_text(const std::string& text) {
  Message message;
  EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(text, &message)) << text;
  return message;
}

}  // namespace agdf::client::testing
