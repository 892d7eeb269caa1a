#pragma once

#include <google/protobuf/field_mask.pb.h>
#include <google/protobuf/message.h>

#include <functional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace compliance {

/// The fields an Update writes, by its update_mask (AIP-134): the mask's paths, each one
/// writable; "*" alone for every writable field; an empty mask for each writable field that
/// `resource` has set. INVALID_ARGUMENT naming update_mask otherwise, listing the writable
/// paths; `hint` may add where a refused path changes instead.
absl::StatusOr<std::vector<std::string>> UpdatePaths(
    const google::protobuf::Message& resource, const google::protobuf::FieldMask& mask,
    const std::vector<std::string>& writable,
    const std::function<std::string(const std::string& path)>& hint = nullptr);

}  // namespace compliance
