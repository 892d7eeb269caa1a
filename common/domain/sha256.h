#pragma once

#include <string>

#include "absl/strings/string_view.h"

namespace compliance {

/// Lowercase hex SHA-256 of `data`.
std::string Sha256Hex(absl::string_view data);

}  // namespace compliance
