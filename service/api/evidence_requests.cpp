#include "api/evidence_requests.h"

#include "absl/strings/str_cat.h"
#include "api/evidence_mapping.h"
#include "domain/errors.h"
#include "domain/names.h"
#include "domain/text.h"

namespace compliance {

absl::StatusOr<ListEvidenceQuery> ParseListEvidence(const v1::ListEvidenceRequest& request) {
  ListEvidenceQuery query;
  auto& filter = query.filter;
  if (!request.requirement().empty()) {
    auto key = ParseRequirementName("requirement", request.requirement());
    if (!key.ok()) return key.status();
    filter.requirement = *key;
  }
  if (!v1::EvidenceKind_IsValid(request.kind())) {
    return FieldError("kind", "is not a known EvidenceKind value");
  }
  filter.kind = request.kind();
  filter.source = request.source();
  if (!v1::EvidenceState_IsValid(request.state())) {
    return FieldError("state", "is not a known EvidenceState value");
  }
  filter.state = static_cast<EvidenceState>(request.state());
  filter.include_expired = request.include_expired();
  auto page_size = EffectivePageSize(request.page_size());
  if (!page_size.ok()) return page_size.status();
  query.page_size = *page_size;
  query.fingerprint = FilterFingerprint(
      absl::StrCat("evidence\n", request.requirement(), "\n", filter.kind, "\n", filter.source,
                   "\n", static_cast<int>(filter.state), "\n", filter.include_expired));
  auto cursor = DecodeTimeCursor(request.page_token(), query.fingerprint);
  if (!cursor.ok()) return cursor.status();
  query.after = *cursor;
  return query;
}

absl::StatusOr<std::vector<NewEvidence>> ParseBatchCreateEvidence(
    const v1::BatchCreateEvidenceRequest& request, absl::Time now) {
  if (request.requests_size() == 0 || request.requests_size() > static_cast<int>(kMaxBatch)) {
    return FieldError("requests", "must hold 1–1000 requests");
  }
  std::vector<NewEvidence> parsed;
  parsed.reserve(request.requests_size());
  for (int i = 0; i < request.requests_size(); ++i) {
    auto item = ParseCreateEvidence(request.requests(i), absl::StrCat("requests[", i, "]."), now);
    if (!item.ok()) return item.status();
    parsed.push_back(*std::move(item));
  }
  return parsed;
}

absl::StatusOr<EvidenceWithdrawal> ParseWithdrawEvidence(
    const v1::WithdrawEvidenceRequest& request) {
  auto id = ParseUuidName("name", "evidence", request.name());
  if (!id.ok()) return id.status();
  if (request.reason().empty()) return FieldError("reason", "is required");
  if (auto s = CheckText("reason", request.reason(), 1, kMaxReason); !s.ok()) return s;
  return EvidenceWithdrawal{*std::move(id), request.reason()};
}

}  // namespace compliance
