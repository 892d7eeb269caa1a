#pragma once

#include <initializer_list>
#include <string>

#include "absl/strings/string_view.h"

namespace compliance {

/// The 32 bytes of SHA-256 of `data`.
std::string Sha256(absl::string_view data);

/// The 32 bytes of SHA-256 of `parts` one after the other, without joining them first.
std::string Sha256(std::initializer_list<absl::string_view> parts);

/// Lowercase hex SHA-256 of `data`.
std::string Sha256Hex(absl::string_view data);

/// Lowercase hex SHA-256 of `parts` one after the other.
std::string Sha256Hex(std::initializer_list<absl::string_view> parts);

}  // namespace compliance
