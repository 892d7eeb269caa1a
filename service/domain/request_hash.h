#pragma once

#include <string>

#include "domain/action.h"
#include "domain/evidence.h"
#include "domain/webhook.h"

namespace compliance {

// The hashes that tell a retry (the same request_id with the same request) from the reuse of
// a request_id for another request: hex SHA-256 of a canonical, length-prefixed encoding of
// what the request asks for, one versioned form per kind of request. Editing a form would
// make retries sent across an upgrade look like different requests, so forms are only added.

/// CreateAction: the fields of the new action.
std::string RequestHash(const ActionFields& fields);

/// CompleteAction of the action named `action_name` (as the client spelled it).
std::string RequestHash(const std::string& action_name, const Completion& completion);

/// CreateEvidence, or one item of a batch: the content and an explicit supersedes.
std::string RequestHash(const NewEvidence& request);

/// CreateWebhook: the subscription's URL and filters.
std::string RequestHash(const WebhookFields& fields);

}  // namespace compliance
