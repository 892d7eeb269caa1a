#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace compliance {

/// The headers of one delivery, as the Standard Webhooks specification names them.
struct WebhookHeaders {
  std::string id;         ///< webhook-id: the event's sequence, the same on every retry
  std::string timestamp;  ///< webhook-timestamp: the attempt's time, in Unix seconds
  std::string signature;  ///< webhook-signature: "v1,<base64>", one per secret, spaces between
};

/// The secret form of a signing key: "whsec_" and the key in standard base64.
std::string WebhookSecret(absl::string_view key);

/// The key of a secret made by WebhookSecret; nullopt for anything else.
std::optional<std::string> WebhookKey(absl::string_view secret);

/// "v1," and the base64 HMAC-SHA256, under `key`, of "{id}.{timestamp}.{body}".
std::string WebhookSignature(absl::string_view key, absl::string_view id,
                             absl::string_view timestamp, absl::string_view body);

/// The headers of a delivery of event `sequence` at `unix_seconds`, signed with each key (the
/// current one and, after a rotation, the previous one for a while).
WebhookHeaders SignWebhook(const std::vector<std::string>& keys, int64_t sequence,
                           int64_t unix_seconds, absl::string_view body);

}  // namespace compliance
