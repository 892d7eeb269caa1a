#pragma once

#include <google/protobuf/descriptor.h>

#include <map>
#include <nlohmann/json.hpp>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"

namespace compliance {

/// A descriptor's leading comment, one space of indentation removed from each line; empty
/// when the descriptors carry no source info.
template <typename Descriptor>
std::string DescriptionOf(const Descriptor& descriptor) {
  google::protobuf::SourceLocation location;
  if (!descriptor.GetSourceLocation(&location)) return "";
  std::vector<std::string> lines;
  for (absl::string_view line : absl::StrSplit(location.leading_comments, '\n')) {
    lines.emplace_back(absl::StripAsciiWhitespace(line));
  }
  return std::string(absl::StripAsciiWhitespace(absl::StrJoin(lines, "\n")));
}

/// `#/components/schemas/<full name>`.
std::string SchemaRef(const google::protobuf::Descriptor& message);

/// Timestamp, Duration and FieldMask: messages whose JSON form is a string.
bool IsStringLikeMessage(const google::protobuf::Descriptor& message);

/// Whether the message carries a resource with an `etag` (a response that sets ETag).
bool CarriesEtag(const google::protobuf::Descriptor& message);

/// The schemas of messages and enums in protobuf's JSON mapping (lowerCamelCase names,
/// 64-bit integers as strings, enums by name, well-known types in their JSON forms),
/// collected as fields refer to them.
class SchemaSet {
 public:
  /// The schema of a field's value; messages and enums it uses are added and referenced.
  nlohmann::ordered_json FieldSchema(const google::protobuf::FieldDescriptor& field);
  /// Adds a message and everything its fields use.
  void Add(const google::protobuf::Descriptor& message);
  /// Every schema, by full name.
  nlohmann::ordered_json All() const;

 private:
  nlohmann::ordered_json ValueSchema(const google::protobuf::FieldDescriptor& field);
  nlohmann::ordered_json MessageValue(const google::protobuf::Descriptor& message);
  void AddEnum(const google::protobuf::EnumDescriptor& enumeration);

  std::map<std::string, nlohmann::ordered_json> schemas_;
};

}  // namespace compliance
