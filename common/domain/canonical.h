#pragma once

#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

namespace compliance {

/// Appends one length-prefixed field to a canonical encoding, so that no two different
/// sequences of fields encode to the same bytes (what request and content hashes rely on).
inline void AppendField(std::string& out, absl::string_view field) {
  absl::StrAppend(&out, field.size(), ":", field, ";");
}

}  // namespace compliance
