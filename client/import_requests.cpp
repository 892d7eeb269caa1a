#include "import_requests.h"

#include <nlohmann/json.hpp>
#include <set>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "api/proto_time.h"
#include "cli_values.h"
#include "evidence_values.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "import/import_request_id.h"

namespace compliance::cli {
namespace {

using nlohmann::json;

// What the server stores for an empty source; two rows that differ only in spelling it out
// are the same record, so they must not share a batch.
constexpr char kServerDefaultSource[] = "manual";

}  // namespace

absl::StatusOr<v1::CreateEvidenceRequest> ToCreateRequest(const ImportRecord& record,
                                                          const std::string& default_source) {
  v1::CreateEvidenceRequest request;
  v1::Evidence* evidence = request.mutable_evidence();
  if (record.requirements.empty()) {
    return ColumnError("requirements", "is required, e.g. 5.1.a or 5.1.a;5.1.c");
  }
  for (const auto& requirement : record.requirements) {
    evidence->add_requirements(ExpandRequirementName(absl::StripAsciiWhitespace(requirement)));
  }
  if (absl::StripAsciiWhitespace(record.kind).empty()) {
    return ColumnError("kind", absl::StrCat("is required: one of ", EvidenceKindWords()));
  }
  auto kind = ParseEvidenceKind(record.kind);
  if (!kind.ok()) return ColumnError("kind", kind.status().message());
  evidence->set_kind(static_cast<v1::EvidenceKind>(*kind));
  evidence->set_title(record.title);
  evidence->set_description(record.description);
  evidence->set_uri(std::string(absl::StripAsciiWhitespace(record.uri)));
  evidence->set_sha256(absl::AsciiStrToLower(absl::StripAsciiWhitespace(record.sha256)));
  const std::string source(absl::StripAsciiWhitespace(record.source));
  evidence->set_source(source.empty() ? default_source : source);
  evidence->set_external_id(record.external_id);
  const absl::string_view collect = absl::StripAsciiWhitespace(record.collect_time);
  if (collect.empty()) {
    return ColumnError("collect_time", "is required (RFC 3339, e.g. 2026-03-01T09:00:00Z)");
  }
  auto collect_time = ParseTime(collect);
  if (!collect_time.ok()) return ColumnError("collect_time", collect_time.status().message());
  ToProto(*collect_time, evidence->mutable_collect_time());
  const absl::string_view expire = absl::StripAsciiWhitespace(record.expire_time);
  if (!expire.empty()) {
    auto expire_time = ParseTime(expire);
    if (!expire_time.ok()) return ColumnError("expire_time", expire_time.status().message());
    ToProto(*expire_time, evidence->mutable_expire_time());
  }
  for (const auto& [key, value] : record.labels) (*evidence->mutable_labels())[key] = value;
  request.set_request_id(record.request_id);
  if (request.request_id().empty()) request.set_request_id(ImportRequestId(*evidence));
  return request;
}

std::vector<std::vector<size_t>> PlanBatches(const std::vector<v1::CreateEvidenceRequest>& requests,
                                             size_t batch_size) {
  if (batch_size == 0) batch_size = 1;
  std::vector<std::vector<size_t>> batches;
  std::vector<size_t> current;
  std::set<std::pair<std::string, std::string>> keys;
  std::set<std::string> request_ids;
  for (size_t i = 0; i < requests.size(); ++i) {
    const v1::Evidence& evidence = requests[i].evidence();
    std::optional<std::pair<std::string, std::string>> key;
    if (!evidence.external_id().empty()) {
      key.emplace(evidence.source().empty() ? kServerDefaultSource : evidence.source(),
                  evidence.external_id());
    }
    const std::string& request_id = requests[i].request_id();
    const bool clash = current.size() >= batch_size || (key && keys.count(*key) > 0) ||
                       (!request_id.empty() && request_ids.count(request_id) > 0);
    if (clash && !current.empty()) {
      batches.push_back(std::move(current));
      current.clear();
      keys.clear();
      request_ids.clear();
    }
    current.push_back(i);
    if (key) keys.insert(*key);
    if (!request_id.empty()) request_ids.insert(request_id);
  }
  if (!current.empty()) batches.push_back(std::move(current));
  return batches;
}

std::optional<BatchItemProblem> BatchItemViolation(const grpc::Status& status) {
  google::rpc::Status details;
  if (status.error_details().empty() || !details.ParseFromString(status.error_details())) {
    return std::nullopt;
  }
  for (const auto& any : details.details()) {
    google::rpc::BadRequest bad_request;
    if (!any.UnpackTo(&bad_request)) continue;
    for (const auto& violation : bad_request.field_violations()) {
      absl::string_view field = violation.field();
      size_t index = 0;
      if (!absl::ConsumePrefix(&field, "requests[")) continue;
      const size_t end = field.find(']');
      if (end == absl::string_view::npos || !absl::SimpleAtoi(field.substr(0, end), &index)) {
        continue;
      }
      field.remove_prefix(end + 1);
      absl::ConsumePrefix(&field, ".");
      absl::ConsumePrefix(&field, "evidence.");  // the columns are the Evidence's fields
      return BatchItemProblem{index, std::string(field), violation.description()};
    }
  }
  return std::nullopt;
}

std::optional<size_t> BatchItemIndex(const grpc::Status& status) {
  const auto problem = BatchItemViolation(status);
  if (!problem) return std::nullopt;
  return problem->index;
}

void ImportSummary::Add(const v1::BatchCreateEvidenceResponse& response) {
  for (int i = 0; i < response.evidence_size(); ++i) {
    if (i < response.deduplicated_size() && response.deduplicated(i)) {
      ++deduplicated;
    } else {
      ++created;
      if (!response.evidence(i).supersedes().empty()) ++superseded;
    }
  }
}

std::string ImportSummary::Line() const {
  return absl::StrCat("created ", created, ", deduplicated ", deduplicated, ", superseded ",
                      superseded, ", rejected ", rejected);
}

std::string ImportSummary::Json() const {
  return json{{"created", created},
              {"deduplicated", deduplicated},
              {"superseded", superseded},
              {"rejected", rejected}}
      .dump(2);
}

}  // namespace compliance::cli
