#include "domain/json_string.h"

#include <algorithm>
#include <cstdint>

namespace compliance {
namespace {

// Code points protobuf's writer spells as \u escapes beyond ASCII: C1 controls and the
// invisible formatting characters (soft hyphen, bidi and zero-width marks, BOM, tags…).
bool EscapedBeyondAscii(uint32_t cp) {
  return (cp >= 0x80 && cp <= 0x9F) || cp == 0xAD || (cp >= 0x600 && cp <= 0x603) || cp == 0x6DD ||
         cp == 0x70F || cp == 0x17B4 || cp == 0x17B5 || (cp >= 0x200B && cp <= 0x200F) ||
         (cp >= 0x2028 && cp <= 0x202E) || (cp >= 0x2060 && cp <= 0x2064) ||
         (cp >= 0x206A && cp <= 0x206F) || cp == 0xFEFF || (cp >= 0xFFF9 && cp <= 0xFFFB) ||
         (cp >= 0x1D173 && cp <= 0x1D17A) || cp == 0xE0001 || (cp >= 0xE0020 && cp <= 0xE007F);
}

void AppendUnitEscape(std::string& out, uint32_t unit) {
  static constexpr char kHex[] = "0123456789abcdef";
  out += "\\u";
  for (int shift = 12; shift >= 0; shift -= 4) out += kHex[(unit >> shift) & 0xF];
}

void AppendCodePointEscape(std::string& out, uint32_t cp) {
  if (cp < 0x10000) return AppendUnitEscape(out, cp);
  cp -= 0x10000;  // a surrogate pair, as JSON spells astral code points
  AppendUnitEscape(out, 0xD800 + (cp >> 10));
  AppendUnitEscape(out, 0xDC00 + (cp & 0x3FF));
}

// Length of the UTF-8 sequence that starts with `lead`.
size_t SequenceLength(unsigned char lead) {
  if (lead < 0xE0) return 2;
  return lead < 0xF0 ? 3 : 4;
}

uint32_t DecodeSequence(std::string_view text, size_t at, size_t length) {
  static constexpr unsigned char kLeadMask[] = {0, 0, 0x1F, 0x0F, 0x07};
  uint32_t cp = static_cast<unsigned char>(text[at]) & kLeadMask[length];
  for (size_t k = 1; k < length; ++k)
    cp = (cp << 6) | (static_cast<unsigned char>(text[at + k]) & 0x3F);
  return cp;
}

}  // namespace

void AppendJsonString(std::string& out, JsonSpelling spelling, std::string_view text) {
  const bool protobuf = spelling == JsonSpelling::kProtobuf;
  const auto plain = [protobuf](unsigned char c) {
    return c >= 0x20 && c != '"' && c != '\\' && !(protobuf && (c == '<' || c == '>' || c >= 0x7F));
  };
  out += '"';
  for (size_t i = 0; i < text.size();) {
    size_t run = i;  // bytes that go out as they are, appended at once
    while (run < text.size() && plain(static_cast<unsigned char>(text[run]))) ++run;
    out.append(text, i, run - i);
    if (run == text.size()) break;
    i = run;
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (c >= 0x80) {  // only in the protobuf spelling
      const size_t length = std::min(SequenceLength(c), text.size() - i);
      const uint32_t cp = DecodeSequence(text, i, length);
      if (EscapedBeyondAscii(cp)) {
        AppendCodePointEscape(out, cp);
      } else {
        out.append(text, i, length);
      }
      i += length;
      continue;
    }
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      default:
        AppendUnitEscape(out, c);  // other controls, and <, > and DEL for protobuf
    }
    ++i;
  }
  out += '"';
}

}  // namespace compliance
