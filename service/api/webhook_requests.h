#pragma once

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "compliance/v1/webhook.pb.h"
#include "domain/page.h"
#include "domain/webhook.h"

namespace compliance {

/// A validated CreateWebhook request; `allow_insecure` is --allow-insecure-webhooks.
absl::StatusOr<WebhookFields> ParseCreateWebhook(const v1::CreateWebhookRequest& request,
                                                 bool allow_insecure);

/// A validated UpdateWebhook request: the subscription's id and the paths it changes, whose
/// new values are checked as CreateWebhook checks them.
struct WebhookUpdate {
  std::string id;
  std::vector<std::string> paths;
};
absl::StatusOr<WebhookUpdate> ParseUpdateWebhook(const v1::UpdateWebhookRequest& request,
                                                 bool allow_insecure);
/// `current` with the paths of a parsed update applied, then checked.
absl::StatusOr<WebhookFields> ApplyWebhookUpdate(const v1::UpdateWebhookRequest& request,
                                                 const std::vector<std::string>& paths,
                                                 WebhookFields current, bool allow_insecure);

/// A validated ListWebhooks request.
struct ListWebhooksQuery {
  int page_size = kDefaultPageSize;
  std::optional<TimeCursor> after;
  std::string fingerprint;  ///< binds page tokens to this listing
};
absl::StatusOr<ListWebhooksQuery> ParseListWebhooks(const v1::ListWebhooksRequest& request);

/// The id in a request's `webhooks/{uuid}` name.
absl::StatusOr<std::string> ParseWebhookName(const std::string& name);

}  // namespace compliance
