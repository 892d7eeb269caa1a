#include "domain/names.h"

#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "domain/errors.h"

namespace compliance {
namespace {

constexpr char kExampleName[] = "frameworks/iso27001-2022/requirements/5.1.a";

// `[a-z0-9][a-z0-9<extra>]{0,62}`: the id alphabet shared by frameworks and requirements.
bool IsLowerId(absl::string_view id, absl::string_view extra) {
  if (id.empty() || id.size() > 63) return false;
  for (size_t i = 0; i < id.size(); ++i) {
    const char c = id[i];
    const bool alnum = absl::ascii_islower(c) || absl::ascii_isdigit(c);
    if (!alnum && (i == 0 || extra.find(c) == absl::string_view::npos)) return false;
  }
  return true;
}

bool IsCanonicalUuid(absl::string_view id) {
  if (id.size() != 36) return false;
  for (size_t i = 0; i < id.size(); ++i) {
    const bool dash_position = i == 8 || i == 13 || i == 18 || i == 23;
    const char c = id[i];
    if (dash_position ? c != '-' : !(absl::ascii_isdigit(c) || (c >= 'a' && c <= 'f'))) {
      return false;
    }
  }
  return true;
}

}  // namespace

std::string RequirementKey::Name() const {
  return absl::StrCat("frameworks/", framework, "/requirements/", id);
}

bool IsFrameworkId(absl::string_view id) { return IsLowerId(id, "-"); }

bool IsClause(absl::string_view clause) { return IsLowerId(clause, "."); }

absl::StatusOr<RequirementKey> ParseRequirementName(absl::string_view field,
                                                    absl::string_view name) {
  if (name.empty()) return FieldError(field, "is required");
  const std::vector<absl::string_view> parts = absl::StrSplit(name, '/');
  if (parts.size() != 4 || parts[0] != "frameworks" || parts[2] != "requirements" ||
      !IsFrameworkId(parts[1]) || !IsLowerId(parts[3], ".-")) {
    return FieldError(field, absl::StrCat("must be a requirement name like ", kExampleName,
                                          ", got \"", name.substr(0, 100), "\""));
  }
  return RequirementKey{std::string(parts[1]), std::string(parts[3])};
}

absl::StatusOr<std::string> ParseUuidName(absl::string_view field, absl::string_view collection,
                                          absl::string_view name) {
  if (name.empty()) return FieldError(field, "is required");
  const std::string prefix = absl::StrCat(collection, "/");
  if (!absl::StartsWith(name, prefix) || !IsCanonicalUuid(name.substr(prefix.size()))) {
    return FieldError(field, absl::StrCat("must be a name like ", collection,
                                          "/{uuid} with a lowercase UUID, got \"", name, "\""));
  }
  return std::string(name.substr(prefix.size()));
}

}  // namespace compliance
