#include "domain/oidc_claims.h"

#include <gtest/gtest.h>

namespace compliance {
namespace {

using Json = nlohmann::json;

constexpr int64_t kIssued = 1795000000;
const absl::Time kNow = absl::FromUnixSeconds(kIssued);

OidcPolicy Policy() {
  OidcPolicy policy;
  policy.issuer = "https://login.example.com/realms/acme";
  policy.audience = "compliance-status";
  return policy;
}

Json Claims() {
  return {{"iss", "https://login.example.com/realms/acme"},
          {"aud", "compliance-status"},
          {"sub", "7d5f0a8e-service-account"},
          {"azp", "hr-sync"},
          {"iat", kIssued},
          {"nbf", kIssued},
          {"exp", kIssued + 300},
          {"roles", {"integrator"}}};
}

std::string Refusal(const Json& claims, absl::Time now) {
  const absl::Status status = CheckTokenClaims(claims, Policy(), now);
  EXPECT_EQ(status.code(), absl::StatusCode::kUnauthenticated) << status;
  return std::string(status.message());
}

TEST(TokenClaims, ExpiryHoldsUntilSixtySecondsPastExpAndNotAMicrosecondLonger) {
  const absl::Time exp = absl::FromUnixSeconds(kIssued + 300);
  EXPECT_TRUE(CheckTokenClaims(Claims(), Policy(), exp).ok());
  EXPECT_TRUE(
      CheckTokenClaims(Claims(), Policy(), exp + absl::Seconds(60) - absl::Microseconds(1)).ok());
  EXPECT_EQ(Refusal(Claims(), exp + absl::Seconds(60)),
            "the token is not valid: expired at 2026-11-18T11:11:40Z");
}

TEST(TokenClaims, NotBeforeAndIssuedAtAllowSixtySecondsOfSkew) {
  Json claims = Claims();
  claims["nbf"] = kIssued + 100;
  EXPECT_EQ(Refusal(claims, kNow + absl::Seconds(39)),
            "the token is not valid: not valid before 2026-11-18T11:08:20Z");
  EXPECT_TRUE(CheckTokenClaims(claims, Policy(), kNow + absl::Seconds(40)).ok());
  claims.erase("nbf");
  claims["iat"] = kIssued + 61;
  EXPECT_EQ(Refusal(claims, kNow),
            "the token is not valid: issued in the future, at 2026-11-18T11:07:41Z");
  claims["iat"] = kIssued + 60;
  EXPECT_TRUE(CheckTokenClaims(claims, Policy(), kNow).ok());
}

TEST(TokenClaims, FractionalSecondsAreNumericDatesToo) {
  Json claims = Claims();
  claims["exp"] = kIssued + 0.5;
  EXPECT_TRUE(CheckTokenClaims(claims, Policy(), kNow + absl::Seconds(60)).ok());
  EXPECT_FALSE(CheckTokenClaims(claims, Policy(), kNow + absl::Seconds(60.5)).ok());
  EXPECT_EQ(TokenExpiry(claims), kNow + absl::Milliseconds(500));
}

TEST(TokenClaims, ExpIsRequiredAndDatesMustBeNumbers) {
  Json claims = Claims();
  claims.erase("exp");
  EXPECT_EQ(Refusal(claims, kNow), "the token is not valid: it has no expiry time (exp)");
  EXPECT_EQ(TokenExpiry(claims), absl::InfinitePast());
  claims["exp"] = "tomorrow";
  EXPECT_EQ(Refusal(claims, kNow), "the token is not valid: it has no expiry time (exp)");
  claims = Claims();
  claims["nbf"] = "now";
  EXPECT_EQ(Refusal(claims, kNow),
            "the token is not valid: nbf and iat must be numbers of seconds");
}

TEST(TokenClaims, TheIssuerMustMatchExactly) {
  Json claims = Claims();
  claims["iss"] = "https://login.example.com/realms/acme/";
  EXPECT_EQ(Refusal(claims, kNow),
            "the token is not valid: wrong issuer: \"https://login.example.com/realms/acme/\", "
            "not \"https://login.example.com/realms/acme\"");
  claims.erase("iss");
  EXPECT_EQ(Refusal(claims, kNow), "the token is not valid: it names no issuer (iss)");
}

TEST(TokenClaims, TheAudienceMayBeOneOfSeveral) {
  Json claims = Claims();
  claims["aud"] = {"account", "compliance-status"};
  EXPECT_TRUE(CheckTokenClaims(claims, Policy(), kNow).ok());
  claims["aud"] = {"account", "payroll"};
  EXPECT_EQ(Refusal(claims, kNow),
            "the token is not valid: wrong audience: \"account\", \"payroll\", not "
            "\"compliance-status\"");
  claims.erase("aud");
  EXPECT_EQ(Refusal(claims, kNow), "the token is not valid: it names no audience (aud)");
  EXPECT_EQ(Refusal(Json::array(), kNow),
            "the token is not valid: its payload is not a JSON object");
}

TEST(TokenCaller, TheActorIsClientIdThenAzpThenSub) {
  Json claims = Claims();
  EXPECT_EQ(CallerFromClaims(claims, Policy())->name, "hr-sync");
  claims["client_id"] = "hr-sync-client";
  EXPECT_EQ(CallerFromClaims(claims, Policy())->name, "hr-sync-client");
  claims.erase("client_id");
  claims.erase("azp");
  EXPECT_EQ(CallerFromClaims(claims, Policy())->name, "7d5f0a8e-service-account");
  claims.erase("sub");
  EXPECT_EQ(CallerFromClaims(claims, Policy()).status().code(), absl::StatusCode::kUnauthenticated);
}

TEST(TokenCaller, WithoutAMapTheClaimHoldsRoleNamesAndTheStrongestWins) {
  Json claims = Claims();
  claims["roles"] = {"offline_access", "viewer", "editor"};
  EXPECT_EQ(CallerFromClaims(claims, Policy())->role, Role::kEditor);
  claims["roles"] = "viewer admin";  // a space-separated string, as "scp" is
  EXPECT_EQ(CallerFromClaims(claims, Policy())->role, Role::kAdmin);
  claims["roles"] = {"offline_access"};
  const auto none = CallerFromClaims(claims, Policy());
  EXPECT_EQ(none.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(none.status().message(),
            "token of \"hr-sync\": its claim \"roles\" grants no role of this service");
}

TEST(TokenCaller, AMapTranslatesGroupsAndANestedClaimIsReached) {
  OidcPolicy policy = Policy();
  policy.roles_claim = "realm_access.roles";
  policy.role_map = *ParseRoleMap({"Compliance.Read=viewer", "finance-bots=integrator"});
  Json claims = Claims();
  claims["realm_access"] = {{"roles", {"finance-bots", "viewer"}}};
  const auto caller = CallerFromClaims(claims, policy);
  ASSERT_TRUE(caller.ok()) << caller.status();
  EXPECT_EQ(caller->role, Role::kIntegrator);          // "viewer" is not in the map: it counts not
  claims["realm_access.roles"] = {"Compliance.Read"};  // the name as it is wins over the path
  EXPECT_EQ(CallerFromClaims(claims, policy)->role, Role::kViewer);
}

TEST(TokenCaller, AnIntegratorIsLimitedToItsSourcesClaim) {
  Json claims = Claims();
  EXPECT_TRUE(CallerFromClaims(claims, Policy())->sources.empty());  // absent: any
  claims["compliance_sources"] = {"hr-system", "lms"};
  EXPECT_EQ(CallerFromClaims(claims, Policy())->sources,
            (std::vector<std::string>{"hr-system", "lms"}));
  claims["compliance_sources"] = Json::array();
  EXPECT_EQ(CallerFromClaims(claims, Policy()).status().message(),
            "token of \"hr-sync\": its claim \"compliance_sources\" names no source");
  claims["roles"] = {"editor"};  // sources limit integrators only
  EXPECT_TRUE(CallerFromClaims(claims, Policy()).ok());
}

TEST(RoleMap, EntriesSplitAtTheLastEqualsSign) {
  auto map = ParseRoleMap({"a=b=admin", "group:finance=integrator"});
  ASSERT_TRUE(map.ok()) << map.status();
  EXPECT_EQ(map->at("a=b"), Role::kAdmin);
  EXPECT_EQ(map->at("group:finance"), Role::kIntegrator);
  EXPECT_EQ(ParseRoleMap({"finance=owner"}).status().message(),
            "role map entry \"finance=owner\": expected CLAIM_VALUE=ROLE, ROLE one of viewer, "
            "integrator, editor, admin");
  EXPECT_FALSE(ParseRoleMap({"=admin"}).ok());
  EXPECT_FALSE(ParseRoleMap({"admin"}).ok());
}

}  // namespace
}  // namespace compliance
