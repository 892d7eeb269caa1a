#include "api/webhook_requests.h"

#include "api/update_mask.h"
#include "domain/errors.h"
#include "domain/names.h"
#include "domain/text.h"

namespace compliance {

absl::StatusOr<WebhookFields> ParseCreateWebhook(const v1::CreateWebhookRequest& request,
                                                 bool allow_insecure) {
  if (!request.has_webhook()) return FieldError("webhook", "is required");
  if (auto s = CheckText("request_id", request.request_id(), 0, 128); !s.ok()) return s;
  const v1::Webhook& webhook = request.webhook();
  WebhookFields fields;
  fields.url = webhook.url();
  fields.filter.resource_prefix = webhook.resource_prefix();
  fields.filter.methods.assign(webhook.methods().begin(), webhook.methods().end());
  if (auto s = ValidateWebhookFields("webhook", fields, allow_insecure); !s.ok()) return s;
  return fields;
}

absl::StatusOr<WebhookUpdate> ParseUpdateWebhook(const v1::UpdateWebhookRequest& request,
                                                 bool allow_insecure) {
  if (!request.has_webhook()) return FieldError("webhook", "is required");
  auto id = ParseUuidName("webhook.name", "webhooks", request.webhook().name());
  if (!id.ok()) return id.status();
  auto paths =
      UpdatePaths(request.webhook(), request.update_mask(), {"url", "resource_prefix", "methods"});
  if (!paths.ok()) return paths.status();
  // The new values are checked before anything is read, whatever the subscription's state:
  // over fields that are valid, so that only the request's own can fail.
  const WebhookFields valid{"https://example.com/", {}};
  if (auto checked = ApplyWebhookUpdate(request, *paths, valid, allow_insecure); !checked.ok()) {
    return checked.status();
  }
  return WebhookUpdate{*std::move(id), *std::move(paths)};
}

absl::StatusOr<WebhookFields> ApplyWebhookUpdate(const v1::UpdateWebhookRequest& request,
                                                 const std::vector<std::string>& paths,
                                                 WebhookFields current, bool allow_insecure) {
  const v1::Webhook& in = request.webhook();
  for (const auto& path : paths) {
    if (path == "url") current.url = in.url();
    if (path == "resource_prefix") current.filter.resource_prefix = in.resource_prefix();
    if (path == "methods") current.filter.methods.assign(in.methods().begin(), in.methods().end());
  }
  if (auto s = ValidateWebhookFields("webhook", current, allow_insecure); !s.ok()) return s;
  return current;
}

absl::StatusOr<ListWebhooksQuery> ParseListWebhooks(const v1::ListWebhooksRequest& request) {
  ListWebhooksQuery query;
  auto page_size = EffectivePageSize(request.page_size());
  if (!page_size.ok()) return page_size.status();
  query.page_size = *page_size;
  query.fingerprint = FilterFingerprint("webhooks\n");
  auto cursor = DecodeTimeCursor(request.page_token(), query.fingerprint);
  if (!cursor.ok()) return cursor.status();
  query.after = *cursor;
  return query;
}

absl::StatusOr<std::string> ParseWebhookName(const std::string& name) {
  return ParseUuidName("name", "webhooks", name);
}

}  // namespace compliance
