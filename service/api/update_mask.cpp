#include "api/update_mask.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "domain/errors.h"

namespace compliance {
namespace {

// Set in the sense of an update without a mask: a message present, a scalar not its default.
bool IsSet(const google::protobuf::Message& resource, const std::string& path) {
  const auto* field = resource.GetDescriptor()->FindFieldByName(path);
  if (field == nullptr) return false;
  const auto* reflection = resource.GetReflection();
  return field->is_repeated() ? reflection->FieldSize(resource, field) > 0
                              : reflection->HasField(resource, field);
}

// "a, b and c".
std::string Listing(const std::vector<std::string>& words) {
  if (words.size() < 2) return absl::StrJoin(words, "");
  return absl::StrCat(absl::StrJoin(words.begin(), words.end() - 1, ", "), " and ", words.back());
}

}  // namespace

absl::StatusOr<std::vector<std::string>> UpdatePaths(
    const google::protobuf::Message& resource, const google::protobuf::FieldMask& mask,
    const std::vector<std::string>& writable,
    const std::function<std::string(const std::string& path)>& hint) {
  std::vector<std::string> paths;
  if (mask.paths().empty()) {
    for (const auto& path : writable) {
      if (IsSet(resource, path)) paths.push_back(path);
    }
    if (paths.empty()) return FieldError("update_mask", "selects no field to update");
    return paths;
  }
  for (const auto& path : mask.paths()) {
    if (path == "*") {
      if (mask.paths_size() != 1) return FieldError("update_mask", "\"*\" must be the only path");
      return writable;
    }
    if (std::find(writable.begin(), writable.end(), path) == writable.end()) {
      const bool known = resource.GetDescriptor()->FindFieldByName(path) != nullptr;
      return FieldError(
          "update_mask",
          absl::StrCat("path \"", path.substr(0, 100), "\" ",
                       known ? "is not writable"
                             : absl::StrCat("is not a field of ", resource.GetDescriptor()->name()),
                       "; writable paths are ", Listing(writable), hint ? hint(path) : ""));
    }
    paths.push_back(path);
  }
  return paths;
}

}  // namespace compliance
