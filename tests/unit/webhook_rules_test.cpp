#include <gtest/gtest.h>

#include "absl/strings/match.h"
#include "domain/webhook.h"
#include "domain/webhook_delivery.h"
#include "domain/webhook_signature.h"

namespace compliance {
namespace {

const absl::Time kNow = absl::FromUnixSeconds(1798761600);  // 2027-01-01T00:00:00Z

absl::Status Url(const std::string& url, bool allow_insecure = false) {
  return ValidateWebhookFields("webhook", {url, {}}, allow_insecure);
}

TEST(WebhookRulesTest, UrlsAreHttpsOrLoopbackHttpWithTheFlag) {
  EXPECT_TRUE(Url("https://grc.example.com/hooks/compliance?tenant=7").ok());
  EXPECT_TRUE(Url("https://[2001:db8::1]:8443/").ok());
  EXPECT_TRUE(Url("http://127.0.0.1:9000/hook", true).ok());
  EXPECT_TRUE(Url("http://localhost/hook", true).ok());
  EXPECT_TRUE(Url("http://[::1]:9000", true).ok());

  const absl::Status insecure = Url("http://127.0.0.1:9000/hook");
  EXPECT_EQ(insecure.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(absl::StartsWith(insecure.message(), "webhook.url: must be https"))
      << insecure.message();
  EXPECT_FALSE(Url("http://grc.example.com/hook", true).ok()) << "http only to loopback";
  EXPECT_FALSE(Url("http://127.evil.example.com/", true).ok()) << "a name, not an address";
  for (const char* bad : {"", "grc.example.com/hook", "ftp://example.com/", "https://",
                          "https://user:pw@example.com/", "https://example.com:99999/",
                          "https://exa mple.com/", "https://example.com:12ab/"}) {
    const absl::Status status = Url(bad);
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << bad;
    EXPECT_TRUE(absl::StartsWith(status.message(), "webhook.url: ")) << status.message();
  }
  EXPECT_FALSE(Url("https://example.com/" + std::string(2040, 'a')).ok()) << "over 2048";
}

TEST(WebhookRulesTest, FiltersAreCheckedAndNamed) {
  WebhookFields fields{"https://example.com/", {"evidence/", {"CreateEvidence", ""}}};
  const absl::Status empty_method = ValidateWebhookFields("webhook", fields, false);
  EXPECT_TRUE(absl::StartsWith(empty_method.message(), "webhook.methods[1]: "))
      << empty_method.message();
  fields.filter.methods.assign(33, "CreateEvidence");
  EXPECT_TRUE(absl::StartsWith(ValidateWebhookFields("webhook", fields, false).message(),
                               "webhook.methods: "));
  fields.filter.methods.clear();
  fields.filter.resource_prefix = "\xff";
  EXPECT_TRUE(absl::StartsWith(ValidateWebhookFields("webhook", fields, false).message(),
                               "webhook.resource_prefix: "));
}

TEST(WebhookRulesTest, FiltersMatchPrefixAndFullOrShortMethod) {
  const std::string create = "/compliance.v1.EvidenceService/CreateEvidence";
  EXPECT_TRUE(WebhookMatches({}, "evidence/1", create));
  EXPECT_TRUE(WebhookMatches({"evidence/", {}}, "evidence/1", create));
  EXPECT_FALSE(WebhookMatches({"actions/", {}}, "evidence/1", create));
  EXPECT_TRUE(WebhookMatches({"", {"CreateEvidence"}}, "evidence/1", create));
  EXPECT_TRUE(WebhookMatches({"", {create}}, "evidence/1", create));
  EXPECT_FALSE(WebhookMatches({"", {"WithdrawEvidence"}}, "evidence/1", create));
  EXPECT_FALSE(WebhookMatches({"", {"Evidence"}}, "evidence/1", create)) << "whole parts only";
  EXPECT_TRUE(WebhookMatches({"tokens/", {"token create"}}, "tokens/ci", "token create"));
}

TEST(WebhookRulesTest, BackoffDoublesToItsCeilingWithEqualJitter) {
  RetryPolicy policy;  // 1 s, doubling, at most 10 min
  EXPECT_EQ(RetryDelay(policy, 1, std::nullopt, 0.0), absl::Milliseconds(500));
  EXPECT_EQ(RetryDelay(policy, 1, std::nullopt, 0.5), absl::Milliseconds(750));
  EXPECT_EQ(RetryDelay(policy, 1, std::nullopt, 1.0), absl::Seconds(1));
  EXPECT_EQ(RetryDelay(policy, 2, std::nullopt, 1.0), absl::Seconds(2));
  EXPECT_EQ(RetryDelay(policy, 4, std::nullopt, 0.0), absl::Seconds(4));
  EXPECT_EQ(RetryDelay(policy, 11, std::nullopt, 1.0), absl::Minutes(10)) << "the ceiling";
  EXPECT_EQ(RetryDelay(policy, 5000, std::nullopt, 0.0), absl::Minutes(5)) << "no overflow";
  EXPECT_EQ(RetryDelay(policy, 0, std::nullopt, 1.0), absl::Seconds(1));
}

TEST(WebhookRulesTest, RetryAfterIsHonouredNeverShortened) {
  RetryPolicy policy;
  EXPECT_EQ(RetryDelay(policy, 1, absl::Seconds(30), 0.0), absl::Seconds(30));
  EXPECT_EQ(RetryDelay(policy, 11, absl::Seconds(30), 0.0), absl::Minutes(5))
      << "a shorter Retry-After does not cut the backoff";
  EXPECT_EQ(ParseRetryAfter("120", kNow), absl::Seconds(120));
  EXPECT_EQ(ParseRetryAfter(" 0 ", kNow), absl::ZeroDuration());
  EXPECT_EQ(ParseRetryAfter("Fri, 01 Jan 2027 00:01:30 GMT", kNow), absl::Seconds(90));
  EXPECT_EQ(ParseRetryAfter("Thu, 31 Dec 2026 23:00:00 GMT", kNow), absl::ZeroDuration());
  EXPECT_EQ(ParseRetryAfter("soon", kNow), std::nullopt);
  EXPECT_EQ(ParseRetryAfter("-5", kNow), std::nullopt);
  EXPECT_EQ(ParseRetryAfter("", kNow), std::nullopt);
}

TEST(WebhookRulesTest, FailuresPauseOnceTheySpanTheLimit) {
  RetryPolicy policy;
  policy.pause_after = absl::Hours(1);
  const AttemptOutcome outcome{false, "HTTP 500", std::nullopt};
  FailureDecision first = DecideFailure(policy, {}, outcome, kNow, 0.0);
  EXPECT_EQ(first.failed_attempts, 1);
  EXPECT_EQ(first.first_failure_time, kNow);
  EXPECT_EQ(first.next_attempt_time, kNow + absl::Milliseconds(500));
  EXPECT_FALSE(first.pause);

  const FailureRun run{7, kNow};
  const FailureDecision almost =
      DecideFailure(policy, run, outcome, kNow + absl::Hours(1) - absl::Seconds(1), 0.0);
  EXPECT_EQ(almost.failed_attempts, 8);
  EXPECT_EQ(almost.first_failure_time, kNow);
  EXPECT_FALSE(almost.pause);
  const FailureDecision paused = DecideFailure(policy, run, outcome, kNow + absl::Hours(1), 0.0);
  EXPECT_TRUE(paused.pause);
  EXPECT_EQ(paused.pause_reason,
            "8 deliveries failed over 1h (the limit is 1h); last error: HTTP 500");
}

TEST(WebhookRulesTest, SignaturesFollowStandardWebhooks) {
  // Computed apart from this code: HMAC-SHA256 in Python over "42.1614265330.<body>".
  const auto key = WebhookKey("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
  ASSERT_TRUE(key.has_value());
  const std::string body = R"({"test": 2432232314})";
  EXPECT_EQ(WebhookSignature(*key, "42", "1614265330", body),
            "v1,97Z9e2ijWBiSWZdR2cJ1lLq/kLtjkYyGfutva5Jsd3k=");
  const WebhookHeaders headers = SignWebhook({*key, "other"}, 42, 1614265330, body);
  EXPECT_EQ(headers.id, "42");
  EXPECT_EQ(headers.timestamp, "1614265330");
  EXPECT_EQ(headers.signature, "v1,97Z9e2ijWBiSWZdR2cJ1lLq/kLtjkYyGfutva5Jsd3k= " +
                                   WebhookSignature("other", "42", "1614265330", body));
  EXPECT_EQ(WebhookSecret(*key), "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
  EXPECT_FALSE(WebhookKey("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").has_value());
  EXPECT_FALSE(WebhookKey("whsec_").has_value());
  EXPECT_FALSE(WebhookKey("whsec_!!!").has_value());
}

}  // namespace
}  // namespace compliance
