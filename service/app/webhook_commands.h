#pragma once

#include <functional>
#include <string>
#include <utility>

#include "absl/status/statusor.h"
#include "app/mutation.h"
#include "domain/audit.h"
#include "domain/webhook.h"
#include "store/webhook_store.h"

namespace compliance {

/// How long a rotated-out secret keeps signing deliveries beside the new one.
inline constexpr absl::Duration kSecretOverlap = absl::Hours(24);

/// The mutations of webhook subscriptions, each one run through the mutation pipeline. The
/// audit entries (rendered by the injected AuditFn) never carry a secret: the API's Webhook
/// has none.
class WebhookCommands {
 public:
  explicit WebhookCommands(ConnectionPool& pool) : pool_(pool) {}

  /// Subscribes with a new secret; a repeated request_id returns the first subscription and
  /// its current secret (flag false).
  absl::StatusOr<std::pair<WebhookWithSecret, bool>> Create(const MutationContext& context,
                                                            const WebhookFields& fields,
                                                            const RequestKey& key,
                                                            const AuditFn<Webhook>& audit) const;

  /// Changes a subscription's URL and filters through `change`, after the etags (the
  /// request's, else the one inside the resource) match.
  absl::StatusOr<Webhook> Update(
      const MutationContext& context, const std::string& id, const std::string& request_etag,
      const std::string& resource_etag,
      const std::function<absl::StatusOr<WebhookFields>(const WebhookFields&)>& change,
      const AuditFn<Webhook>& audit) const;

  /// Deletes a subscription after its etag matches; its audit entry keeps it as before_json.
  absl::Status Delete(const MutationContext& context, const std::string& id,
                      const std::string& etag, const AuditFn<Webhook>& audit) const;

  /// Gives a subscription a new secret (the old one signs beside it for kSecretOverlap).
  absl::StatusOr<WebhookWithSecret> RotateSecret(const MutationContext& context,
                                                 const std::string& id, const std::string& etag,
                                                 const AuditFn<Webhook>& audit) const;

  /// Makes a PAUSED subscription ACTIVE again; FAILED_PRECONDITION when it is not paused.
  absl::StatusOr<Webhook> Resume(const MutationContext& context, const std::string& id,
                                 const std::string& etag, const AuditFn<Webhook>& audit) const;

 private:
  ConnectionPool& pool_;
};

}  // namespace compliance
