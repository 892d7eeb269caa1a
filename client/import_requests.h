#pragma once

#include <grpcpp/support/status.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "compliance/v1/evidence.pb.h"
#include "evidence_import.h"

namespace compliance::cli {

/// Turns a record into a create request. Short requirement names are expanded, `source`
/// falls back to `default_source`, the kind is parsed by ParseEvidenceKind, times are
/// RFC 3339, `collect_time` is required (a default of "now" would make a re-run import
/// different). Only what is about the file's own format is checked here; the server judges
/// the values. Without a `request_id` the record gets ImportRequestId (import-v1), so the same
/// row imported again is recognised. Errors name the column, e.g. `kind: "x" is not ...`.
absl::StatusOr<v1::CreateEvidenceRequest> ToCreateRequest(const ImportRecord& record,
                                                          const std::string& default_source);

/// Splits requests into batches of at most `batch_size`, in order. A request whose
/// (source, external_id) or request_id is already in the current batch starts a new batch,
/// since the server refuses both within one batch. Returns indexes into `requests`.
std::vector<std::vector<size_t>> PlanBatches(const std::vector<v1::CreateEvidenceRequest>& requests,
                                             size_t batch_size);

/// What a server error says about one item of a batch, from its google.rpc.BadRequest detail.
struct BatchItemProblem {
  size_t index = 0;     ///< the `i` of `requests[i]...`
  std::string column;   ///< the field within the item, e.g. `title` or `request_id`
  std::string problem;  ///< the server's description
};

/// The first field violation of `status` that names a batch item (`requests[i]...`), if any.
std::optional<BatchItemProblem> BatchItemViolation(const grpc::Status& status);

/// The `i` of the batch item a server error is about (BatchItemViolation's index).
std::optional<size_t> BatchItemIndex(const grpc::Status& status);

/// What an import did.
struct ImportSummary {
  int64_t created = 0;
  int64_t deduplicated = 0;
  int64_t superseded = 0;
  int64_t rejected = 0;

  /// Counts a successful batch: deduplicated items, created ones, and the created ones that
  /// superseded an earlier record.
  void Add(const v1::BatchCreateEvidenceResponse& response);
  /// `created N, deduplicated N, superseded N, rejected N`.
  std::string Line() const;
  /// The same as a JSON object.
  std::string Json() const;
};

}  // namespace compliance::cli
