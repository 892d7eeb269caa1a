#include "enum_words.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace compliance::cli {
namespace {

// Lower case with `-` between words: what Parse compares.
std::string Normal(absl::string_view text) {
  std::string word = absl::AsciiStrToLower(absl::StripAsciiWhitespace(text));
  for (char& c : word) {
    if (c == '_') c = '-';
  }
  return word;
}

}  // namespace

EnumWords::EnumWords(const google::protobuf::EnumDescriptor& descriptor) {
  // Every value name starts with the enum's prefix, which UNSPECIFIED (number 0) shows.
  const std::string& unspecified = descriptor.FindValueByNumber(0)->name();
  const std::string prefix = unspecified.substr(0, unspecified.size() - 11);  // "UNSPECIFIED"
  for (int i = 0; i < descriptor.value_count(); ++i) {
    const auto& value = *descriptor.value(i);
    values_.push_back({value.number(), Normal(value.name().substr(prefix.size()))});
  }
  prefix_ = Normal(prefix);
}

std::optional<int> EnumWords::Parse(absl::string_view text) const {
  std::string word = Normal(text);
  if (absl::StartsWith(word, prefix_)) word = word.substr(prefix_.size());
  for (const auto& value : values_) {
    if (value.number != 0 && value.word == word) return value.number;
  }
  return std::nullopt;
}

std::optional<std::string> EnumWords::Word(int number, char separator) const {
  for (const auto& value : values_) {
    if (value.number != number) continue;
    std::string word = value.word;
    for (char& c : word) {
      if (c == '-') c = separator;
    }
    return word;
  }
  return std::nullopt;
}

std::string EnumWords::List(absl::string_view last) const {
  std::vector<std::string> words;
  for (const auto& value : values_) {
    if (value.number != 0) words.push_back(value.word);
  }
  if (last.empty() || words.size() < 2) return absl::StrJoin(words, ", ");
  const std::string tail = words.back();
  words.pop_back();
  return absl::StrCat(absl::StrJoin(words, ", "), " ", last, " ", tail);
}

}  // namespace compliance::cli
