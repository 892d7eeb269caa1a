#include "oidc/jwks_cache.h"

#include <gtest/gtest.h>

#include <map>

#include "fake_clock.h"
#include "jwt_signer.h"

namespace compliance::testing {
namespace {

constexpr char kIssuer[] = "https://idp.example.com/tenant/";
constexpr char kDiscovery[] = "https://idp.example.com/tenant/.well-known/openid-configuration";
constexpr char kJwksUri[] = "https://idp.example.com/tenant/keys";

// The identity provider's web server: documents by URL, and the requests it was sent.
class FakeIdp final : public HttpGetter {
 public:
  absl::StatusOr<std::string> Get(const std::string& url) override {
    requests.push_back(url);
    auto it = documents.find(url);
    if (it == documents.end()) return absl::UnavailableError("GET " + url + ": HTTP 503");
    return it->second;
  }
  std::map<std::string, std::string> documents;
  std::vector<std::string> requests;
};

class JwksCacheTest : public ::testing::Test {
 protected:
  JwksCacheTest() {
    idp_.documents[kDiscovery] = nlohmann::json{{"issuer", kIssuer}, {"jwks_uri", kJwksUri}}.dump();
    idp_.documents[kJwksUri] = JwksOf({&first_});
  }

  // The kid of the key found, or the refusal's code; "blocked" when it needs a fetch.
  std::string Find(const std::string& kid, bool may_block = true) {
    auto key = cache_.Find(kid, may_block);
    if (!key) return "blocked";
    if (!key->ok()) return absl::StatusCodeToString(key->status().code());
    return (*key)->kid;
  }
  size_t JwksFetches() const {
    return std::count(idp_.requests.begin(), idp_.requests.end(), kJwksUri);
  }

  const JwtSigner first_{"RS256", "2026-01"};
  const JwtSigner second_{"EdDSA", "2026-07"};
  FakeIdp idp_;
  FakeClock clock_{absl::FromUnixSeconds(1795000000)};
  DegradedCounts degraded_;
  JwksCache cache_{{kIssuer, "", absl::Minutes(10), absl::Seconds(10)}, idp_, clock_, &degraded_};
};

TEST_F(JwksCacheTest, DiscoversTheKeySetOnceAndFetchesItWhenFirstNeeded) {
  EXPECT_EQ(Find("2026-01", /*may_block=*/false), "blocked");
  EXPECT_TRUE(idp_.requests.empty());
  EXPECT_EQ(Find("2026-01"), "2026-01");
  EXPECT_EQ(idp_.requests, (std::vector<std::string>{kDiscovery, kJwksUri}));
  EXPECT_EQ(Find("2026-01", /*may_block=*/false), "2026-01");
  EXPECT_EQ(idp_.requests.size(), 2u);
}

TEST_F(JwksCacheTest, AnUnknownKidFetchesAgainAtMostOncePerMinInterval) {
  ASSERT_EQ(Find("2026-01"), "2026-01");
  clock_.Advance(absl::Seconds(10));
  idp_.documents[kJwksUri] = JwksOf({&first_, &second_});  // the provider rotates
  EXPECT_EQ(Find("2026-07"), "2026-07");
  EXPECT_EQ(JwksFetches(), 2u);
  EXPECT_EQ(Find("made-up"), "UNAUTHENTICATED");  // within 10 s: no fetch
  EXPECT_EQ(Find("made-up", /*may_block=*/false), "UNAUTHENTICATED");
  EXPECT_EQ(JwksFetches(), 2u);
  clock_.Advance(absl::Seconds(10));
  EXPECT_EQ(Find("made-up", /*may_block=*/false), "blocked");
  EXPECT_EQ(Find("made-up"), "UNAUTHENTICATED");
  EXPECT_EQ(JwksFetches(), 3u);
  EXPECT_EQ(idp_.requests.front(), kDiscovery);
  EXPECT_EQ(std::count(idp_.requests.begin(), idp_.requests.end(), kDiscovery), 1);
}

TEST_F(JwksCacheTest, KeysAreFetchedAnewWhenOlderThanRefreshAndDroppedKeysGoWithThem) {
  ASSERT_EQ(Find("2026-01"), "2026-01");
  idp_.documents[kJwksUri] = JwksOf({&second_});
  clock_.Advance(absl::Minutes(10) - absl::Microseconds(1));
  EXPECT_EQ(Find("2026-01"), "2026-01");
  EXPECT_EQ(JwksFetches(), 1u);
  clock_.Advance(absl::Microseconds(1));
  EXPECT_EQ(Find("2026-01", /*may_block=*/false), "blocked");
  EXPECT_EQ(Find("2026-01"), "UNAUTHENTICATED");
  EXPECT_EQ(Find("2026-07"), "2026-07");
  EXPECT_EQ(JwksFetches(), 2u);
}

TEST_F(JwksCacheTest, AFailedFetchKeepsTheKeysItHadAndIsCounted) {
  ASSERT_EQ(Find("2026-01"), "2026-01");
  idp_.documents.erase(kJwksUri);
  clock_.Advance(absl::Minutes(10));
  EXPECT_EQ(Find("2026-01"), "2026-01");
  EXPECT_EQ(degraded_.Of(DegradedPath::kJwksFetchFailed), 1u);
  idp_.documents[kJwksUri] = R"({"keys": [{"kty": "oct", "k": "c2VjcmV0"}]})";
  clock_.Advance(absl::Seconds(10));
  EXPECT_EQ(Find("2026-07"), "UNAUTHENTICATED");  // a set with no usable key is no answer
  EXPECT_EQ(Find("2026-01"), "2026-01");
  EXPECT_EQ(degraded_.Of(DegradedPath::kJwksFetchFailed), 2u);
}

TEST_F(JwksCacheTest, WithoutAnyKeysTheAnswerIsUnavailableAndRetriedAfterMinInterval) {
  idp_.documents.erase(kDiscovery);
  EXPECT_EQ(Find("2026-01"), "UNAVAILABLE");
  EXPECT_EQ(Find("2026-01"), "UNAVAILABLE");
  EXPECT_EQ(idp_.requests.size(), 1u);
  idp_.documents[kDiscovery] =
      nlohmann::json{{"issuer", "https://evil.example.com"}, {"jwks_uri", kJwksUri}}.dump();
  clock_.Advance(absl::Seconds(10));
  EXPECT_EQ(Find("2026-01"), "UNAVAILABLE");  // a discovery document of another issuer
  EXPECT_EQ(JwksFetches(), 0u);
  EXPECT_EQ(degraded_.Of(DegradedPath::kJwksFetchFailed), 2u);
}

TEST(JwksDiscovery, TheIssuerLosesItsTrailingSlashBeforeTheWellKnownPath) {
  EXPECT_EQ(DiscoveryUrl("https://idp.example.com/tenant/"), kDiscovery);
  EXPECT_EQ(DiscoveryUrl("https://idp.example.com/tenant"), kDiscovery);
  EXPECT_EQ(
      *JwksUriOfDiscovery(R"({"issuer": "https://a", "jwks_uri": "https://a/k"})", "https://a"),
      "https://a/k");
  EXPECT_FALSE(JwksUriOfDiscovery(R"({"issuer": "https://a"})", "https://a").ok());
}

TEST(FetchUrl, HttpsOrLoopbackHttpOnly) {
  EXPECT_TRUE(CheckFetchUrl("https://login.microsoftonline.com/t/v2.0").ok());
  EXPECT_TRUE(CheckFetchUrl("http://127.0.0.1:8123/realms/acme").ok());
  EXPECT_TRUE(CheckFetchUrl("http://localhost/keys").ok());
  EXPECT_TRUE(CheckFetchUrl("http://[::1]:80/keys").ok());
  EXPECT_FALSE(CheckFetchUrl("http://idp.example.com/keys").ok());
  EXPECT_FALSE(CheckFetchUrl("http://127.0.0.1.evil.example.com/keys").ok());
  EXPECT_FALSE(CheckFetchUrl("http://localhost@evil.example.com/keys").ok());
  EXPECT_FALSE(CheckFetchUrl("ftp://idp.example.com/keys").ok());
  EXPECT_FALSE(CheckFetchUrl("idp.example.com").ok());
}

}  // namespace
}  // namespace compliance::testing
