#include "store/json_rows.h"

#include "absl/strings/str_cat.h"

namespace compliance {

void AppendJsonString(std::string& out, std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  out += '"';
  for (const char ch : text) {
    const unsigned char c = static_cast<unsigned char>(ch);
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
      default:
        if (c < 0x20) {
          out += "\\u00";
          out += kHex[c >> 4];
          out += kHex[c & 15];
        } else {
          out += ch;
        }
    }
  }
  out += '"';
}

void JsonRows::Row() {
  if (rows_ > 0) text_ += "},";
  text_ += '{';
  ++rows_;
  first_field_ = true;
}

void JsonRows::Key(std::string_view key) {
  if (!first_field_) text_ += ',';
  first_field_ = false;
  AppendJsonString(text_, key);
  text_ += ':';
}

void JsonRows::String(std::string_view key, std::string_view value) {
  Key(key);
  AppendJsonString(text_, value);
}

void JsonRows::Number(std::string_view key, int64_t value) {
  Key(key);
  absl::StrAppend(&text_, value);
}

void JsonRows::Document(std::string_view key, std::string_view document) {
  Key(key);
  if (document.empty()) {
    text_ += "null";
  } else {
    text_.append(document);
  }
}

void JsonRows::Raw(std::string_view key, std::string_view value) {
  Key(key);
  text_.append(value);
}

std::string JsonRows::Finish() {
  text_ += rows_ > 0 ? "}]" : "]";
  return std::move(text_);
}

}  // namespace compliance
