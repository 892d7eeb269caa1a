#include "api/evidence_service.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "api/audit_entries.h"
#include "api/deadline.h"
#include "api/evidence_mapping.h"
#include "api/evidence_requests.h"
#include "api/mutation_call.h"
#include "api/proto_time.h"
#include "api/resource_reads.h"
#include "api/status.h"
#include "domain/errors.h"
#include "domain/page.h"
#include "domain/text.h"

namespace compliance {
namespace {

// The sources an integrator token is limited to; empty for every other caller.
std::vector<std::string> LimitedSources(const Caller& caller) {
  return caller.role == Role::kIntegrator ? caller.sources : std::vector<std::string>();
}

AuditFn<Evidence> Auditor(const AuthorizedMutation& call, const std::string& request_id,
                          absl::Time now) {
  return MakeAuditor<v1::Evidence, Evidence>(call.caller.name, call.method->path, request_id, now);
}

}  // namespace

grpc::Status EvidenceServiceImpl::CreateEvidence(grpc::ServerContext* context,
                                                 const v1::CreateEvidenceRequest* request,
                                                 v1::CreateEvidenceResponse* response) {
  auto call = AuthorizeMutation(auth_, *context, *request);
  if (!call.ok()) return ToGrpcStatus(call.status());
  const absl::Time now = clock_.Now();
  auto parsed = ParseCreateEvidence(*request, "", now);
  if (!parsed.ok()) return ToGrpcStatus(parsed.status());
  if (auto s = CheckSource(call->caller, "evidence.source", parsed->content.source); !s.ok()) {
    return ToGrpcStatus(s);
  }
  auto created = creates_.Create(call->context, *parsed, LimitedSources(call->caller),
                                 Auditor(*call, parsed->request_id, now));
  if (!created.ok()) return ToGrpcStatus(created.status());
  ToProto(created->evidence, now, response->mutable_evidence());
  response->set_deduplicated(created->deduplicated);
  return grpc::Status::OK;
}

grpc::Status EvidenceServiceImpl::BatchCreateEvidence(grpc::ServerContext* context,
                                                      const v1::BatchCreateEvidenceRequest* request,
                                                      v1::BatchCreateEvidenceResponse* response) {
  auto call = AuthorizeMutation(auth_, *context, *request, absl::Seconds(120));
  if (!call.ok()) return ToGrpcStatus(call.status());
  const absl::Time now = clock_.Now();
  auto parsed = ParseBatchCreateEvidence(*request, now);
  if (!parsed.ok()) return ToGrpcStatus(parsed.status());
  for (size_t i = 0; i < parsed->size(); ++i) {
    if (auto s = CheckSource(call->caller, absl::StrCat("requests[", i, "].evidence.source"),
                             (*parsed)[i].content.source);
        !s.ok()) {
      return ToGrpcStatus(s);
    }
  }
  auto created = commands_.Create(call->context, *parsed, /*batch=*/true,
                                  LimitedSources(call->caller), {Auditor(*call, "", now)});
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
  return AnswerGet(
      auth_, clock_, *context, *request, "evidence",
      [&](const std::string& id, absl::Time deadline) { return store_.Get(id, deadline); },
      response->mutable_evidence());
}

grpc::Status EvidenceServiceImpl::ListEvidence(grpc::ServerContext* context,
                                               const v1::ListEvidenceRequest* request,
                                               v1::ListEvidenceResponse* response) {
  return AnswerList(
      auth_, clock_, *context, *request, ParseListEvidence,
      [&](const ListEvidenceQuery& query, absl::Time now, absl::Time deadline, bool* more) {
        return store_.List(query.filter, query.after, query.page_size, now, deadline, more);
      },
      [](v1::ListEvidenceResponse& out) { return out.add_evidence(); },
      [](const Evidence& last) {
        return TimeCursor{last.create_time, last.id};
      },
      response);
}

grpc::Status EvidenceServiceImpl::WithdrawEvidence(grpc::ServerContext* context,
                                                   const v1::WithdrawEvidenceRequest* request,
                                                   v1::WithdrawEvidenceResponse* response) {
  auto call = AuthorizeMutation(auth_, *context, *request);
  if (!call.ok()) return ToGrpcStatus(call.status());
  auto parsed = ParseWithdrawEvidence(*request);
  if (!parsed.ok()) return ToGrpcStatus(parsed.status());
  auto withdrawn = commands_.Withdraw(call->context, parsed->id, parsed->reason, request->etag(),
                                      Auditor(*call, "", clock_.Now()));
  if (!withdrawn.ok()) return ToGrpcStatus(withdrawn.status());
  ToProto(*withdrawn, clock_.Now(), response->mutable_evidence());
  return grpc::Status::OK;
}

}  // namespace compliance
