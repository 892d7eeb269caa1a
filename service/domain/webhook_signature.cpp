#include "domain/webhook_signature.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"

namespace compliance {
namespace {

constexpr absl::string_view kSecretPrefix = "whsec_";

}  // namespace

std::string WebhookSecret(absl::string_view key) {
  return absl::StrCat(kSecretPrefix, absl::Base64Escape(key));
}

std::optional<std::string> WebhookKey(absl::string_view secret) {
  if (!absl::ConsumePrefix(&secret, kSecretPrefix)) return std::nullopt;
  std::string key;
  if (secret.empty() || !absl::Base64Unescape(secret, &key)) return std::nullopt;
  return key;
}

std::string WebhookSignature(absl::string_view key, absl::string_view id,
                             absl::string_view timestamp, absl::string_view body) {
  const std::string content = absl::StrCat(id, ".", timestamp, ".", body);
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(content.data()), content.size(), mac, &length);
  return absl::StrCat(
      "v1,", absl::Base64Escape(absl::string_view(reinterpret_cast<const char*>(mac), length)));
}

WebhookHeaders SignWebhook(const std::vector<std::string>& keys, int64_t sequence,
                           int64_t unix_seconds, absl::string_view body) {
  WebhookHeaders headers{absl::StrCat(sequence), absl::StrCat(unix_seconds), ""};
  for (const auto& key : keys) {
    if (!headers.signature.empty()) headers.signature += ' ';
    headers.signature += WebhookSignature(key, headers.id, headers.timestamp, body);
  }
  return headers;
}

}  // namespace compliance
