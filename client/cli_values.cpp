#include "cli_values.h"

#include <cctype>
#include <cstdint>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "compliance/v1/requirement.pb.h"
#include "enum_words.h"

namespace compliance::cli {

std::string ExpandRequirementName(absl::string_view name) {
  if (name.empty() || absl::StrContains(name, '/')) return std::string(name);
  return absl::StrCat("frameworks/", kDefaultFramework, "/requirements/", name);
}

absl::StatusOr<absl::Duration> ParseHumanDuration(absl::string_view text) {
  const auto invalid = [&] {
    return absl::InvalidArgumentError(
        absl::StrCat("\"", text, "\" is not a duration; use e.g. 180d, 12h, 30m, 2w or 1d12h"));
  };
  if (text.empty()) return invalid();
  absl::Duration total;
  size_t i = 0;
  while (i < text.size()) {
    int64_t number = 0;
    const size_t start = i;
    while (i < text.size() && absl::ascii_isdigit(text[i])) {
      if (number > 1'000'000'000) return invalid();
      number = number * 10 + (text[i++] - '0');
    }
    if (i == start || i == text.size()) return invalid();
    switch (text[i++]) {
      case 'w':
        total += absl::Hours(24 * 7 * number);
        break;
      case 'd':
        total += absl::Hours(24 * number);
        break;
      case 'h':
        total += absl::Hours(number);
        break;
      case 'm':
        total += absl::Minutes(number);
        break;
      case 's':
        total += absl::Seconds(number);
        break;
      default:
        return invalid();
    }
  }
  return total;
}

std::string FormatHumanDuration(absl::Duration duration) {
  const int64_t seconds = absl::ToInt64Seconds(duration);
  if (seconds % 86400 == 0) return absl::StrCat(seconds / 86400, "d");
  if (seconds % 3600 == 0) return absl::StrCat(seconds / 3600, "h");
  if (seconds % 60 == 0) return absl::StrCat(seconds / 60, "m");
  return absl::StrCat(seconds, "s");
}

absl::StatusOr<absl::Time> ParseTime(absl::string_view text) {
  absl::Time time;
  std::string error;
  if (!absl::ParseTime(absl::RFC3339_full, std::string(text), &time, &error)) {
    return absl::InvalidArgumentError(
        absl::StrCat("\"", text, "\" is not an RFC 3339 time such as 2026-03-01T09:00:00Z"));
  }
  return time;
}

absl::StatusOr<int> ParseConformity(absl::string_view text) {
  // Conformities are also written as they read: "partially conforming".
  std::string word(text);
  for (char& c : word) {
    if (c == ' ') c = '-';
  }
  if (auto value = EnumWords::Of<v1::Conformity>().Parse(word)) return *value;
  return absl::InvalidArgumentError(absl::StrCat("\"", text, "\" is not a conformity; use ",
                                                 EnumWords::Of<v1::Conformity>().List("or")));
}

std::string ConformityWord(int conformity) {
  return EnumWords::Of<v1::Conformity>().Word(conformity, ' ').value_or("unknown");
}

}  // namespace compliance::cli
