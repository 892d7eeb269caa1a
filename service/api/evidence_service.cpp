#include "api/evidence_service.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "api/audit_entries.h"
#include "api/evidence_mapping.h"
#include "api/proto_time.h"
#include "api/status.h"
#include "domain/errors.h"
#include "domain/etag.h"
#include "domain/page.h"
#include "domain/text.h"

namespace compliance {
namespace {

struct ListEvidenceQuery {
  EvidenceFilter filter;
  int page_size = kDefaultPageSize;
  std::optional<TimeCursor> after;
  std::string fingerprint;
};

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

// The sources an integrator token is limited to; empty for every other caller.
std::vector<std::string> LimitedSources(const Caller& caller) {
  return caller.role == Role::kIntegrator ? caller.sources : std::vector<std::string>();
}

}  // namespace

grpc::Status EvidenceServiceImpl::CreateEvidence(grpc::ServerContext* context,
                                                 const v1::CreateEvidenceRequest* request,
                                                 v1::CreateEvidenceResponse* response) {
  auto caller = auth_.Authorize(
      *context, FullMethod(v1::EvidenceService::service_full_name(), "CreateEvidence"));
  if (!caller.ok()) return ToGrpcStatus(caller.status());
  const absl::Time now = clock_.Now();
  auto parsed = ParseCreateEvidence(*request, "", now);
  if (!parsed.ok()) return ToGrpcStatus(parsed.status());
  if (auto s = CheckSource(*caller, "evidence.source", parsed->content.source); !s.ok()) {
    return ToGrpcStatus(s);
  }
  auto created = store_.Create(
      {*parsed}, /*batch=*/false, caller->name, now, DeadlineOf(*context),
      MakeAuditor<v1::Evidence, Evidence>(
          caller->name, FullMethod(v1::EvidenceService::service_full_name(), "CreateEvidence"),
          parsed->request_id, now),
      LimitedSources(*caller));
  if (!created.ok()) return ToGrpcStatus(created.status());
  ToProto(created->front().evidence, now, response->mutable_evidence());
  response->set_deduplicated(created->front().deduplicated);
  return grpc::Status::OK;
}

grpc::Status EvidenceServiceImpl::BatchCreateEvidence(grpc::ServerContext* context,
                                                      const v1::BatchCreateEvidenceRequest* request,
                                                      v1::BatchCreateEvidenceResponse* response) {
  auto caller = auth_.Authorize(
      *context, FullMethod(v1::EvidenceService::service_full_name(), "BatchCreateEvidence"));
  if (!caller.ok()) return ToGrpcStatus(caller.status());
  if (request->requests_size() == 0 || request->requests_size() > static_cast<int>(kMaxBatch)) {
    return ToGrpcStatus(FieldError("requests", "must hold 1–1000 requests"));
  }
  const absl::Time now = clock_.Now();
  std::vector<NewEvidence> parsed;
  parsed.reserve(request->requests_size());
  for (int i = 0; i < request->requests_size(); ++i) {
    auto item = ParseCreateEvidence(request->requests(i), absl::StrCat("requests[", i, "]."), now);
    if (!item.ok()) return ToGrpcStatus(item.status());
    if (auto s = CheckSource(*caller, absl::StrCat("requests[", i, "].evidence.source"),
                             item->content.source);
        !s.ok()) {
      return ToGrpcStatus(s);
    }
    parsed.push_back(std::move(*item));
  }
  auto created = store_.Create(
      parsed, /*batch=*/true, caller->name, now, DeadlineOf(*context, absl::Seconds(120)),
      MakeAuditor<v1::Evidence, Evidence>(
          caller->name, FullMethod(v1::EvidenceService::service_full_name(), "BatchCreateEvidence"),
          "", now),
      LimitedSources(*caller));
  if (!created.ok()) return ToGrpcStatus(created.status());
  for (const auto& result : *created) {
    ToProto(result.evidence, now, response->add_evidence());
    response->add_deduplicated(result.deduplicated);
  }
  return grpc::Status::OK;
}

grpc::Status EvidenceServiceImpl::GetEvidence(grpc::ServerContext* context,
                                              const v1::GetEvidenceRequest* request,
                                              v1::GetEvidenceResponse* response) {
  auto caller = auth_.Authorize(
      *context, FullMethod(v1::EvidenceService::service_full_name(), "GetEvidence"));
  if (!caller.ok()) return ToGrpcStatus(caller.status());
  auto id = ParseUuidName("name", "evidence", request->name());
  if (!id.ok()) return ToGrpcStatus(id.status());
  auto evidence = store_.Get(*id, DeadlineOf(*context));
  if (!evidence.ok()) return ToGrpcStatus(evidence.status());
  ToProto(*evidence, clock_.Now(), response->mutable_evidence());
  return grpc::Status::OK;
}

grpc::Status EvidenceServiceImpl::ListEvidence(grpc::ServerContext* context,
                                               const v1::ListEvidenceRequest* request,
                                               v1::ListEvidenceResponse* response) {
  auto caller = auth_.Authorize(
      *context, FullMethod(v1::EvidenceService::service_full_name(), "ListEvidence"));
  if (!caller.ok()) return ToGrpcStatus(caller.status());
  auto query = ParseListEvidence(*request);
  if (!query.ok()) return ToGrpcStatus(query.status());
  const absl::Time now = clock_.Now();
  bool more = false;
  auto page =
      store_.List(query->filter, query->after, query->page_size, now, DeadlineOf(*context), &more);
  if (!page.ok()) return ToGrpcStatus(page.status());
  for (const auto& evidence : *page) ToProto(evidence, now, response->add_evidence());
  if (more && !page->empty()) {
    const Evidence& last = page->back();
    response->set_next_page_token(
        EncodeTimeCursor(query->fingerprint, TimeCursor{last.create_time, last.id}));
  }
  return grpc::Status::OK;
}

grpc::Status EvidenceServiceImpl::WithdrawEvidence(grpc::ServerContext* context,
                                                   const v1::WithdrawEvidenceRequest* request,
                                                   v1::WithdrawEvidenceResponse* response) {
  auto caller = auth_.Authorize(
      *context, FullMethod(v1::EvidenceService::service_full_name(), "WithdrawEvidence"));
  if (!caller.ok()) return ToGrpcStatus(caller.status());
  auto id = ParseUuidName("name", "evidence", request->name());
  if (!id.ok()) return ToGrpcStatus(id.status());
  if (request->reason().empty()) return ToGrpcStatus(FieldError("reason", "is required"));
  if (auto s = CheckText("reason", request->reason(), 1, kMaxReason); !s.ok()) {
    return ToGrpcStatus(s);
  }
  auto withdrawn = store_.Withdraw(
      *id, request->reason(),
      [&](const Evidence& current) {
        return CheckEtag(request->etag(), "", EvidenceEtag(current));
      },
      DeadlineOf(*context),
      MakeAuditor<v1::Evidence, Evidence>(
          caller->name, FullMethod(v1::EvidenceService::service_full_name(), "WithdrawEvidence"),
          "", clock_.Now()));
  if (!withdrawn.ok()) return ToGrpcStatus(withdrawn.status());
  ToProto(*withdrawn, clock_.Now(), response->mutable_evidence());
  return grpc::Status::OK;
}

}  // namespace compliance
