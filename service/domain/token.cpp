#include "domain/token.h"

#include "absl/strings/str_cat.h"
#include "domain/errors.h"

namespace compliance {
namespace {

bool IsNameChar(char c, bool first) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
         (!first && (c == '.' || c == '_' || c == '-'));
}

}  // namespace

bool IsTokenName(const std::string& text) {
  if (text.empty() || text.size() > 63) return false;
  for (size_t i = 0; i < text.size(); ++i) {
    if (!IsNameChar(text[i], i == 0)) return false;
  }
  return true;
}

absl::Status CheckTokenGrant(const TokenGrant& grant) {
  if (!IsTokenName(grant.name)) {
    return FieldError("name", "must match [a-z0-9][a-z0-9._-]{0,62}");
  }
  for (const auto& source : grant.sources) {
    if (!IsTokenName(source)) {
      return FieldError("sources",
                        absl::StrCat("\"", source, "\" must match [a-z0-9][a-z0-9._-]{0,62}"));
    }
  }
  if (!grant.sources.empty() && grant.role != Role::kIntegrator) {
    return FieldError("sources", "only integrator tokens are limited to sources");
  }
  return absl::OkStatus();
}

}  // namespace compliance
