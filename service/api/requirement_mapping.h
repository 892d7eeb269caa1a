#pragma once

#include "absl/time/time.h"
#include "compliance/v1/requirement.pb.h"
#include "domain/requirement.h"

namespace compliance {

/// Fills the API message, with the time-dependent fields evaluated at `now`.
void ToProto(const Requirement& requirement, absl::Time now, v1::Requirement* out);

}  // namespace compliance
