#include "store/connection_options.h"

#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace compliance {
namespace {

constexpr std::pair<const char*, const char*> kDefaults[] = {
    {"connect_timeout", "3"},     {"keepalives", "1"},       {"keepalives_idle", "5"},
    {"keepalives_interval", "2"}, {"keepalives_count", "2"}, {"tcp_user_timeout", "5000"},
};

}  // namespace

std::string WithConnectionDefaults(const std::string& database_url) {
  const bool is_url = absl::StartsWith(database_url, "postgresql://") ||
                      absl::StartsWith(database_url, "postgres://");
  std::string result = database_url;
  for (const auto& [key, value] : kDefaults) {
    if (absl::StrContains(database_url, absl::StrCat(key, "="))) continue;
    if (is_url) {
      absl::StrAppend(&result, absl::StrContains(result, '?') ? "&" : "?", key, "=", value);
    } else {
      absl::StrAppend(&result, result.empty() ? "" : " ", key, "=", value);
    }
  }
  return result;
}

}  // namespace compliance
