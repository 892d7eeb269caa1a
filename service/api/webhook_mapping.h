#pragma once

#include <string>

#include "absl/time/time.h"
#include "compliance/v1/webhook.pb.h"
#include "domain/webhook.h"

namespace compliance {

/// `webhooks/{id}`.
std::string WebhookName(const std::string& id);

/// A subscription as the API shows it: never its secret. `now` is unused (every field is
/// stored), and taken for the shape MakeAuditor expects.
void ToProto(const Webhook& webhook, absl::Time now, v1::Webhook* out);

}  // namespace compliance
