#pragma once

#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "compliance/v1/webhook.pb.h"
#include "domain/page.h"
#include "domain/webhook.h"

namespace compliance {

/// A validated CreateWebhook request; `allow_insecure` is --allow-insecure-webhooks.
absl::StatusOr<WebhookFields> ParseCreateWebhook(const v1::CreateWebhookRequest& request,
                                                 bool allow_insecure);

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
