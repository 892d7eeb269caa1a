#pragma once

#include <cstddef>
#include <optional>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace compliance {

/// Number of Unicode code points in `text`, or nullopt when it is not valid UTF-8.
std::optional<size_t> CodePointCount(absl::string_view text);

/// Checks that `text` is valid UTF-8 of `min`…`max` code points; the error names `field`.
absl::Status CheckText(absl::string_view field, absl::string_view text, size_t min, size_t max);

}  // namespace compliance
