#include "domain/oidc_claims.h"

#include <optional>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace compliance {
namespace {

absl::Status Refused(absl::string_view why) {
  return absl::UnauthenticatedError(absl::StrCat("the token is not valid: ", why));
}

std::string Rfc3339(absl::Time time) {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", time, absl::UTCTimeZone());
}

// A NumericDate claim (RFC 7519 §2: seconds since the epoch, fractions allowed); nullopt when
// absent, InfinitePast when present but not a number.
std::optional<absl::Time> NumericDate(const nlohmann::json& claims, const char* name) {
  auto it = claims.find(name);
  if (it == claims.end()) return std::nullopt;
  if (it->is_number_integer()) return absl::FromUnixSeconds(it->get<int64_t>());
  if (it->is_number()) return absl::UnixEpoch() + absl::Seconds(it->get<double>());
  return absl::InfinitePast();
}

absl::Status CheckIssuer(const nlohmann::json& claims, const std::string& issuer) {
  auto iss = claims.find("iss");
  if (iss == claims.end() || !iss->is_string()) return Refused("it names no issuer (iss)");
  if (iss->get<std::string>() == issuer) return absl::OkStatus();
  return Refused(
      absl::StrCat("wrong issuer: \"", iss->get<std::string>(), "\", not \"", issuer, "\""));
}

absl::Status CheckAudience(const nlohmann::json& claims, const std::string& audience) {
  auto aud = claims.find("aud");
  std::vector<std::string> named;
  if (aud != claims.end() && aud->is_string()) named.push_back(aud->get<std::string>());
  if (aud != claims.end() && aud->is_array()) {
    for (const auto& value : *aud) {
      if (value.is_string()) named.push_back(value.get<std::string>());
    }
  }
  for (const auto& value : named) {
    if (value == audience) return absl::OkStatus();
  }
  if (named.empty()) return Refused("it names no audience (aud)");
  return Refused(absl::StrCat("wrong audience: \"", absl::StrJoin(named, "\", \""), "\", not \"",
                              audience, "\""));
}

absl::Status CheckTimes(const nlohmann::json& claims, absl::Time now) {
  const std::optional<absl::Time> exp = NumericDate(claims, "exp");
  const std::optional<absl::Time> nbf = NumericDate(claims, "nbf");
  const std::optional<absl::Time> iat = NumericDate(claims, "iat");
  if (!exp || *exp == absl::InfinitePast()) return Refused("it has no expiry time (exp)");
  if (nbf == absl::InfinitePast() || iat == absl::InfinitePast()) {
    return Refused("nbf and iat must be numbers of seconds");
  }
  if (now >= *exp + kTokenClockSkew) return Refused(absl::StrCat("expired at ", Rfc3339(*exp)));
  if (nbf && now + kTokenClockSkew < *nbf) {
    return Refused(absl::StrCat("not valid before ", Rfc3339(*nbf)));
  }
  if (iat && now + kTokenClockSkew < *iat) {
    return Refused(absl::StrCat("issued in the future, at ", Rfc3339(*iat)));
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status CheckTokenClaims(const nlohmann::json& claims, const OidcPolicy& policy,
                              absl::Time now) {
  if (!claims.is_object()) return Refused("its payload is not a JSON object");
  if (auto status = CheckIssuer(claims, policy.issuer); !status.ok()) return status;
  if (auto status = CheckAudience(claims, policy.audience); !status.ok()) return status;
  return CheckTimes(claims, now);
}

absl::Time TokenExpiry(const nlohmann::json& claims) {
  if (!claims.is_object()) return absl::InfinitePast();
  return NumericDate(claims, "exp").value_or(absl::InfinitePast());
}

}  // namespace compliance
