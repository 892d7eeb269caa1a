#include "api/webhook_requests.h"

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
