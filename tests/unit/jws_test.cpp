#include "domain/jws.h"

#include <gtest/gtest.h>

#include "jwt_signer.h"

namespace compliance::testing {
namespace {

using Json = nlohmann::json;

const Json kClaims = {{"iss", "https://idp.example.com"}, {"sub", "hr-sync"}, {"exp", 1}};

absl::StatusOr<JsonWebKey> KeyOf(const JwtSigner& signer) {
  auto set = ParseJwks(JwksOf({&signer}));
  if (!set.ok()) return set.status();
  if (set->keys.size() != 1) return absl::InternalError(set->skipped.front());
  return set->keys.front();
}

absl::Status Verify(const std::string& token, const JsonWebKey& key) {
  auto jws = DecodeCompactJws(token);
  if (!jws.ok()) return jws.status();
  return VerifyJwsSignature(*jws, key);
}

class EachAlgorithm : public ::testing::TestWithParam<const char*> {};

TEST_P(EachAlgorithm, VerifiesItsOwnSignatureAndNoChangedOne) {
  const JwtSigner signer(GetParam(), "k1");
  const auto key = KeyOf(signer);
  ASSERT_TRUE(key.ok()) << key.status();
  EXPECT_EQ(key->alg, GetParam());
  const std::string token = signer.Sign(kClaims);
  ASSERT_TRUE(Verify(token, *key).ok()) << Verify(token, *key);
  const auto jws = DecodeCompactJws(token);
  EXPECT_EQ(jws->kid, "k1");
  EXPECT_EQ(jws->claims, kClaims);

  Json changed = kClaims;
  changed["sub"] = "payroll";
  const size_t dot = token.find('.');
  const std::string forged =
      token.substr(0, dot + 1) + Base64Url(changed.dump()) + token.substr(token.rfind('.'));
  EXPECT_EQ(Verify(forged, *key).message(),
            "the token is not valid: its signature does not verify with key \"k1\"");
  const JwtSigner other(GetParam(), "k1");
  EXPECT_FALSE(Verify(other.Sign(kClaims), *key).ok());
}

INSTANTIATE_TEST_SUITE_P(Jws, EachAlgorithm, ::testing::Values("RS256", "ES256", "EdDSA"));

TEST(Jws, AlgMustBeTheKeysAlgorithm) {
  const JwtSigner rsa("RS256", "k1");
  const JwtSigner ec("ES256", "k1");
  EXPECT_EQ(Verify(ec.Sign(kClaims), *KeyOf(rsa)).message(),
            "the token is not valid: alg ES256 does not match key \"k1\" (RS256)");
}

std::string Unsigned(const Json& header) {
  return Base64Url(header.dump()) + "." + Base64Url(kClaims.dump()) + ".";
}

TEST(Jws, NoneAndHmacAreRefusedBeforeAnyKeyIsLookedAt) {
  EXPECT_EQ(DecodeCompactJws(Unsigned({{"alg", "none"}})).status().message(),
            "the token is not valid: unsigned tokens (alg none) are refused");
  EXPECT_EQ(DecodeCompactJws(Unsigned({{"alg", "NONE"}})).status().code(),
            absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(DecodeCompactJws(Unsigned({{"alg", "HS256"}, {"kid", "k1"}})).status().message(),
            "the token is not valid: alg HS256 is refused: only the issuer's public keys verify");
  EXPECT_EQ(DecodeCompactJws(Unsigned({{"alg", "PS256"}})).status().message(),
            "the token is not valid: alg \"PS256\" is not supported (RS256, ES256, EdDSA)");
  EXPECT_EQ(DecodeCompactJws(Unsigned({{"alg", "RS256"}, {"crit", {"exp"}}})).status().message(),
            "the token is not valid: critical header parameters are not supported");
}

TEST(Jws, MalformedTokensAreRefusedByName) {
  EXPECT_TRUE(LooksLikeJwt("a.b.c"));
  EXPECT_FALSE(LooksLikeJwt("cst_0123456789ab_secret"));
  EXPECT_FALSE(LooksLikeJwt("a.b.c.d"));
  EXPECT_EQ(DecodeCompactJws("a.b").status().message(),
            "the token is not valid: not a compact JWS (header.payload.signature)");
  EXPECT_EQ(DecodeCompactJws("e30=.e30.").status().message(),  // padding is not base64url
            "the token is not valid: its header is not base64url JSON");
  const std::string header = Base64Url(Json{{"alg", "EdDSA"}}.dump());
  EXPECT_EQ(DecodeCompactJws(header + ".WzFd.").status().message(),  // [1]
            "the token is not valid: its payload is not base64url JSON");
  EXPECT_EQ(DecodeCompactJws(header + ".e30.a+b").status().message(),
            "the token is not valid: its signature is not base64url");
  EXPECT_EQ(DecodeCompactJws(std::string(16385, 'a')).status().message(),
            "the token is not valid: longer than 16 KiB");
}

TEST(Jwks, KeysThisServerCannotUseAreLeftOutAndSaidWhy) {
  const JwtSigner ed("EdDSA", "ed");
  Json hmac = {{"kty", "oct"}, {"kid", "secret"}, {"k", "c2VjcmV0"}};
  Json encryption = JwtSigner("RS256", "enc").Jwk();
  encryption["use"] = "enc";
  Json ps256 = JwtSigner("RS256", "ps").Jwk();
  ps256["alg"] = "PS256";
  Json off_curve = JwtSigner("ES256", "bad").Jwk();
  off_curve["y"] = off_curve["x"];
  const Json document = {{"keys", {ed.Jwk(), hmac, encryption, ps256, off_curve}}};
  const auto set = ParseJwks(document.dump());
  ASSERT_TRUE(set.ok()) << set.status();
  ASSERT_EQ(set->keys.size(), 1u);
  EXPECT_EQ(set->keys[0].kid, "ed");
  EXPECT_EQ(set->skipped,
            (std::vector<std::string>{
                "kid \"secret\": unsupported key type oct ", "kid \"enc\": use is not sig",
                "kid \"ps\": alg PS256 is not supported", "kid \"bad\": malformed key material"}));
  EXPECT_FALSE(ParseJwks("{\"keys\": {}}").ok());
  EXPECT_FALSE(ParseJwks("not json").ok());
}

TEST(Jwks, AKidlessTokenTakesTheOnlyKey) {
  const JwtSigner a("ES256", "a");
  const JwtSigner b("ES256", "b");
  const auto one = *ParseJwks(JwksOf({&a}));
  const auto two = *ParseJwks(JwksOf({&a, &b}));
  EXPECT_EQ(FindKey(one, "")->kid, "a");
  EXPECT_EQ(FindKey(two, ""), nullptr);
  EXPECT_EQ(FindKey(two, "b")->kid, "b");
  EXPECT_EQ(FindKey(two, "c"), nullptr);
}

}  // namespace
}  // namespace compliance::testing
