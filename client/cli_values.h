#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace compliance::cli {

/// The default framework of short requirement names.
inline constexpr char kDefaultFramework[] = "iso27001-2022";

/// `5.1.a` → `frameworks/iso27001-2022/requirements/5.1.a`; full names pass unchanged.
std::string ExpandRequirementName(absl::string_view name);

/// Parses `180d`, `12h`, `30m`, `45s`, `2w` or combinations such as `1d12h`.
absl::StatusOr<absl::Duration> ParseHumanDuration(absl::string_view text);

/// Formats a duration the way ParseHumanDuration reads it, in the largest whole units.
std::string FormatHumanDuration(absl::Duration duration);

/// Parses an RFC 3339 time such as `2026-03-01T09:00:00Z`.
absl::StatusOr<absl::Time> ParseTime(absl::string_view text);

/// A flag validator (CLI11's shape) made of a parser that returns absl::StatusOr: "" when
/// `parse` accepts the text, else the parser's message.
template <typename Parse>
auto CheckWith(Parse parse) {
  return [parse](const std::string& text) {
    const auto parsed = parse(text);
    return parsed.ok() ? std::string() : std::string(parsed.status().message());
  };
}

}  // namespace compliance::cli

namespace compliance::cli {

/// `conforming`, `partially-conforming`, `nonconforming`, `not-assessed` (any case, `-` or `_`,
/// or the full enum name) → the compliance.v1.Conformity number.
absl::StatusOr<int> ParseConformity(absl::string_view text);

/// The lower-case word for a Conformity number, e.g. `partially conforming`.
std::string ConformityWord(int conformity);

}  // namespace compliance::cli
