#include "api/audit_requests.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "domain/errors.h"
#include "domain/page.h"
#include "domain/text.h"

namespace compliance {

absl::StatusOr<ListAuditQuery> ParseListAuditEvents(const v1::ListAuditEventsRequest& request) {
  if (request.after_sequence() < 0) return FieldError("after_sequence", "must not be negative");
  if (auto s = CheckText("resource", request.resource(), 0, 512); !s.ok()) return s;
  auto page_size = EffectivePageSize(request.page_size());
  if (!page_size.ok()) return page_size.status();
  ListAuditQuery query{request.after_sequence(), request.resource(), *page_size,
                       FilterFingerprint(absl::StrCat("audit\n", request.after_sequence(), "\n",
                                                      request.resource()))};
  auto cursor = DecodePageToken(request.page_token(), query.fingerprint);
  if (!cursor.ok()) return cursor.status();
  if (*cursor && !absl::SimpleAtoi((*cursor)->sort_key, &query.after_sequence)) {
    return FieldError("page_token", "is not a token this server issued");
  }
  return query;
}

absl::Status CheckWatchAuditEvents(const v1::WatchAuditEventsRequest& request) {
  if (request.after_sequence() < 0) return FieldError("after_sequence", "must not be negative");
  return absl::OkStatus();
}

absl::Status CheckInclusionProofRequest(const v1::GetInclusionProofRequest& request) {
  if (request.sequence() < 1) return FieldError("sequence", "must be at least 1");
  if (request.tree_size() < 0) {
    return FieldError("tree_size", "must not be negative (0: the newest checkpoint)");
  }
  if (request.tree_size() != 0 && request.sequence() > request.tree_size()) {
    return FieldError("sequence", "must be at most tree_size");
  }
  return absl::OkStatus();
}

absl::Status CheckConsistencyProofRequest(const v1::GetConsistencyProofRequest& request) {
  if (request.first_size() < 1) return FieldError("first_size", "must be at least 1");
  if (request.second_size() < 0) {
    return FieldError("second_size", "must not be negative (0: the newest checkpoint)");
  }
  if (request.second_size() != 0 && request.first_size() > request.second_size()) {
    return FieldError("first_size", "must be at most second_size");
  }
  return absl::OkStatus();
}

}  // namespace compliance
