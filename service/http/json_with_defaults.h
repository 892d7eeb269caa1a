#pragma once

#include <google/protobuf/message.h>

#include <string>

namespace compliance {

/// A message in protobuf's JSON mapping with every scalar, list and map printed even when it
/// holds its default (what MessageToJsonString writes with always_print_primitive_fields),
/// read by reflection in one pass. protobuf 3.21's writer goes through a binary copy and a
/// tree of default values: it took a quarter of the REST listener's time on GetRequirement.
/// The same JSON value, field for field; fields come in declaration order. A message holding
/// a google.protobuf.Any (an error's details) is left to protobuf's writer, which resolves it.
std::string JsonWithDefaults(const google::protobuf::Message& message);

}  // namespace compliance
