#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace compliance {

/// A catalog requirement's key: `frameworks/{framework}/requirements/{id}`.
struct RequirementKey {
  std::string framework;  ///< e.g. "iso27001-2022"
  std::string id;         ///< e.g. "5.1.a"

  /// The full resource name.
  std::string Name() const;
  bool operator==(const RequirementKey& other) const {
    return framework == other.framework && id == other.id;
  }
};

/// Parses a full requirement name; a malformed one is INVALID_ARGUMENT naming `field`.
absl::StatusOr<RequirementKey> ParseRequirementName(absl::string_view field,
                                                    absl::string_view name);

/// True for a framework id such as "iso27001-2022".
bool IsFrameworkId(absl::string_view id);

/// True for a clause such as "5.1".
bool IsClause(absl::string_view clause);

/// Parses `{collection}/{uuid}` (lowercase canonical UUID) and returns the UUID.
absl::StatusOr<std::string> ParseUuidName(absl::string_view field, absl::string_view collection,
                                          absl::string_view name);

}  // namespace compliance
