#pragma once

#include <string>
#include <string_view>

namespace compliance {

/// How a string literal is escaped.
enum class JsonSpelling {
  /// Quotes, backslashes and control characters; every other byte as it is.
  kPlain,
  /// As protobuf's JSON writer spells it: also <, >, DEL, C1 controls and the invisible
  /// formatting characters (soft hyphen, bidi and zero-width marks, BOM, tags…) as \u escapes.
  kProtobuf,
};

/// Appends `text` (valid UTF-8) as a JSON string literal.
void AppendJsonString(std::string& out, JsonSpelling spelling, std::string_view text);

}  // namespace compliance
