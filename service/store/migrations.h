#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace compliance {

/// One numbered schema change from migrations/.
struct Migration {
  int version;
  const char* file_name;
  const char* sql;
};

/// The migrations compiled into this binary, in version order.
const std::vector<Migration>& EmbeddedMigrations();

/// Applies every migration not yet recorded in `schema_migrations`, in order, each in its own
/// transaction, while holding an advisory lock so concurrent servers apply each exactly once.
/// Returns how many were applied. A recorded migration whose text changed is an error.
absl::StatusOr<int> ApplyMigrations(const std::string& database_url,
                                    const std::vector<Migration>& migrations);

}  // namespace compliance
