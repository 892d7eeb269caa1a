#pragma once

#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

namespace compliance {

/// INVALID_ARGUMENT whose message starts with the offending field path, as the API promises.
inline absl::Status FieldError(absl::string_view field, absl::string_view problem) {
  return absl::InvalidArgumentError(absl::StrCat(field, ": ", problem));
}

/// An error message split at the field path it starts with.
struct FieldProblem {
  std::string field;    ///< e.g. "requests[2].evidence.source"
  std::string problem;  ///< what follows "<field>: "
};

/// The field path a message starts with, when it does: lowercase names with optional [index]
/// or [map key] parts, joined by dots, then ": " (the API's convention for every error about a
/// field).
std::optional<FieldProblem> SplitFieldError(absl::string_view message);

}  // namespace compliance
