#include "api/webhook_mapping.h"

#include "absl/strings/str_cat.h"
#include "api/proto_time.h"

namespace compliance {
namespace {

void OptionalTime(const std::optional<absl::Time>& time, google::protobuf::Timestamp* out) {
  if (time) ToProto(*time, out);
}

}  // namespace

std::string WebhookName(const std::string& id) { return absl::StrCat("webhooks/", id); }

void ToProto(const Webhook& webhook, absl::Time /*now*/, v1::Webhook* out) {
  out->set_name(WebhookName(webhook.id));
  out->set_url(webhook.fields.url);
  out->set_resource_prefix(webhook.fields.filter.resource_prefix);
  for (const auto& method : webhook.fields.filter.methods) out->add_methods(method);
  out->set_state(static_cast<v1::WebhookState>(webhook.state));
  out->set_pause_reason(webhook.pause_reason);
  OptionalTime(webhook.pause_time, out->mutable_pause_time());
  out->set_delivered_sequence(webhook.delivered_sequence);
  OptionalTime(webhook.last_delivery_time, out->mutable_last_delivery_time());
  out->set_failed_attempts(webhook.failed_attempts);
  OptionalTime(webhook.first_failure_time, out->mutable_first_failure_time());
  out->set_last_error(webhook.last_error);
  OptionalTime(webhook.next_attempt_time, out->mutable_next_attempt_time());
  ToProto(webhook.create_time, out->mutable_create_time());
  ToProto(webhook.update_time, out->mutable_update_time());
  ToProto(webhook.secret_time, out->mutable_secret_time());
  out->set_etag(WebhookEtag(webhook));
}

}  // namespace compliance
