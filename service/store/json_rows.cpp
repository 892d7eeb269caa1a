#include "store/json_rows.h"

#include "absl/strings/str_cat.h"
#include "domain/json_string.h"

namespace compliance {

void JsonRows::Row() {
  if (rows_ > 0) text_ += "},";
  text_ += '{';
  ++rows_;
  first_field_ = true;
}

void JsonRows::Key(std::string_view key) {
  if (!first_field_) text_ += ',';
  first_field_ = false;
  AppendJsonString(text_, JsonSpelling::kPlain, key);
  text_ += ':';
}

void JsonRows::String(std::string_view key, std::string_view value) {
  Key(key);
  AppendJsonString(text_, JsonSpelling::kPlain, value);
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
