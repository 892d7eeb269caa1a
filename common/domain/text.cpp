#include "domain/text.h"

#include "absl/strings/str_cat.h"
#include "domain/errors.h"

namespace compliance {

std::optional<size_t> CodePointCount(absl::string_view text) {
  size_t count = 0;
  for (size_t i = 0; i < text.size(); ++count) {
    const auto lead = static_cast<unsigned char>(text[i]);
    size_t length;
    uint32_t code_point;
    if (lead < 0x80) {
      length = 1;
      code_point = lead;
    } else if ((lead >> 5) == 0x6) {
      length = 2;
      code_point = lead & 0x1F;
    } else if ((lead >> 4) == 0xE) {
      length = 3;
      code_point = lead & 0x0F;
    } else if ((lead >> 3) == 0x1E) {
      length = 4;
      code_point = lead & 0x07;
    } else {
      return std::nullopt;
    }
    if (i + length > text.size()) return std::nullopt;
    for (size_t k = 1; k < length; ++k) {
      const auto next = static_cast<unsigned char>(text[i + k]);
      if ((next >> 6) != 0x2) return std::nullopt;
      code_point = (code_point << 6) | (next & 0x3F);
    }
    // Reject overlong encodings, UTF-16 surrogates and values past U+10FFFF.
    static constexpr uint32_t kMinForLength[] = {0, 0, 0x80, 0x800, 0x10000};
    if (code_point < kMinForLength[length] || code_point > 0x10FFFF ||
        (code_point >= 0xD800 && code_point <= 0xDFFF)) {
      return std::nullopt;
    }
    i += length;
  }
  return count;
}

absl::Status CheckText(absl::string_view field, absl::string_view text, size_t min, size_t max) {
  const auto count = CodePointCount(text);
  if (!count) return FieldError(field, "must be valid UTF-8");
  if (text.find('\0') != absl::string_view::npos) {
    return FieldError(field, "must not contain NUL characters");
  }
  if (*count < min || *count > max) {
    if (min == 0) return FieldError(field, absl::StrCat("must be at most ", max, " characters"));
    if (min == max) return FieldError(field, absl::StrCat("must be ", min, " characters"));
    return FieldError(field, absl::StrCat("must be ", min, "–", max, " characters"));
  }
  return absl::OkStatus();
}

}  // namespace compliance
