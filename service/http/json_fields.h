#pragma once

#include <google/protobuf/descriptor.h>
#include <google/protobuf/message.h>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace compliance {

/// INVALID_ARGUMENT "field: problem", the form every field error of the API takes.
absl::Status FieldError(absl::string_view field, absl::string_view problem);

/// A field by its proto name or its JSON (lowerCamelCase) name; null when there is none.
const google::protobuf::FieldDescriptor* FieldNamed(const google::protobuf::Descriptor& message,
                                                    absl::string_view name);

/// Parses `json` into `message` with protobuf's JSON mapping, refusing unknown fields; a
/// failure names the field at fault under `prefix` ("" for the message itself).
absl::Status ParseJsonInto(absl::string_view json, google::protobuf::Message& message,
                           absl::string_view prefix);

}  // namespace compliance
