#pragma once

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "compliance/v1/evidence.pb.h"
#include "domain/page.h"
#include "store/evidence_store.h"

namespace compliance {

// What each EvidenceService request must be before the handler reads or writes anything (the
// create requests are in evidence_mapping.h); also fuzzed, tests/fuzz.

/// A validated ListEvidence request.
struct ListEvidenceQuery {
  EvidenceFilter filter;
  int page_size = kDefaultPageSize;
  std::optional<TimeCursor> after;
  std::string fingerprint;  ///< binds page tokens to these filters
};
absl::StatusOr<ListEvidenceQuery> ParseListEvidence(const v1::ListEvidenceRequest& request);

/// Every item of a BatchCreateEvidence request, validated at `now`; errors name
/// `requests[i].<field>`.
absl::StatusOr<std::vector<NewEvidence>> ParseBatchCreateEvidence(
    const v1::BatchCreateEvidenceRequest& request, absl::Time now);

/// A validated WithdrawEvidence request.
struct EvidenceWithdrawal {
  std::string id;
  std::string reason;
};
absl::StatusOr<EvidenceWithdrawal> ParseWithdrawEvidence(
    const v1::WithdrawEvidenceRequest& request);

}  // namespace compliance
