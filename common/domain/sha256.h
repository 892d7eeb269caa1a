#pragma once

#include <string>

#include "absl/strings/string_view.h"

namespace compliance {

/// The 32 bytes of SHA-256 of `data`.
std::string Sha256(absl::string_view data);

/// Lowercase hex SHA-256 of `data`.
std::string Sha256Hex(absl::string_view data);

}  // namespace compliance
