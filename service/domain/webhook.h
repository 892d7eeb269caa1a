#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace compliance {

/// Which events a subscription wants: an empty prefix or list matches everything.
struct WebhookFilter {
  std::string resource_prefix;
  std::vector<std::string> methods;  ///< full gRPC method names or their last part
};

/// What a subscription is configured with; the secret is kept apart (WebhookSecrets).
struct WebhookFields {
  std::string url;
  WebhookFilter filter;
};

/// The values of compliance.v1.WebhookState.
enum class WebhookState : int { kActive = 1, kPaused = 2 };

/// A subscription as stored: configuration, version, and delivery state.
struct Webhook {
  std::string id;
  WebhookFields fields;
  WebhookState state = WebhookState::kActive;
  std::string pause_reason;
  std::optional<absl::Time> pause_time;
  int64_t delivered_sequence = 0;  ///< every event up to here was delivered or filtered out
  std::optional<absl::Time> last_delivery_time;
  int failed_attempts = 0;
  std::optional<absl::Time> first_failure_time;
  std::string last_error;
  std::optional<absl::Time> next_attempt_time;
  absl::Time create_time;
  absl::Time update_time;
  absl::Time secret_time;
  int64_t version = 1;  ///< bumped by every change made through a call
};

/// Checks a subscription's fields under `prefix` ("webhook"): the URL is absolute https, or
/// http to a loopback host when `allow_insecure` (--allow-insecure-webhooks); the filters are
/// short valid text. INVALID_ARGUMENT names the field (`webhook.url: …`).
absl::Status ValidateWebhookFields(const std::string& prefix, const WebhookFields& fields,
                                   bool allow_insecure);

/// True when an event on `resource` by `method` (a full gRPC method name) passes the filter.
bool WebhookMatches(const WebhookFilter& filter, absl::string_view resource,
                    absl::string_view method);

/// The subscription's etag: it changes with each change made through a call, not with
/// delivery progress.
std::string WebhookEtag(const Webhook& webhook);

/// FAILED_PRECONDITION unless the subscription is PAUSED (what ResumeWebhook needs).
absl::Status RequirePaused(const Webhook& webhook);

}  // namespace compliance
