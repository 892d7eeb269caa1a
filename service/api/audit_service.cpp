#include "api/audit_service.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "api/audit_entries.h"
#include "api/audit_mapping.h"
#include "api/audit_requests.h"
#include "api/deadline.h"
#include "api/proto_time.h"
#include "api/rpc_method.h"
#include "api/status.h"
#include "domain/errors.h"
#include "domain/page.h"
#include "domain/text.h"

namespace compliance {

grpc::Status AuditServiceImpl::ListAuditEvents(grpc::ServerContext* context,
                                               const v1::ListAuditEventsRequest* request,
                                               v1::ListAuditEventsResponse* response) {
  auto caller = auth_.Authorize(*context, MethodOf<v1::ListAuditEventsRequest>().path);
  if (!caller.ok()) return ToGrpcStatus(caller.status());
  auto query = ParseListAuditEvents(*request);
  if (!query.ok()) return ToGrpcStatus(query.status());
  auto events = store_.List(query->after_sequence, query->resource, query->page_size + 1,
                            DeadlineOf(*context));
  if (!events.ok()) return ToGrpcStatus(events.status());
  const bool more = static_cast<int>(events->size()) > query->page_size;
  if (more) events->pop_back();
  for (const auto& event : *events) ToProto(event, response->add_audit_events());
  if (more) {
    response->set_next_page_token(
        EncodePageToken(query->fingerprint, PageCursor{absl::StrCat(events->back().sequence), ""}));
  }
  return grpc::Status::OK;
}

grpc::Status AuditServiceImpl::VerifyAuditLog(grpc::ServerContext* context,
                                              const v1::VerifyAuditLogRequest* /*request*/,
                                              v1::VerifyAuditLogResponse* response) {
  auto caller = auth_.Authorize(*context, MethodOf<v1::VerifyAuditLogRequest>().path);
  if (!caller.ok()) return ToGrpcStatus(caller.status());
  auto report = store_.Verify(DeadlineOf(*context, absl::Minutes(10)));
  if (!report.ok()) return ToGrpcStatus(report.status());
  response->set_intact(report->intact);
  response->set_verified_events(report->verified_events);
  response->set_first_broken_sequence(report->first_broken_sequence);
  response->set_detail(report->detail);
  return grpc::Status::OK;
}

grpc::Status AuditServiceImpl::GetCheckpoint(grpc::ServerContext* context,
                                             const v1::GetCheckpointRequest* /*request*/,
                                             v1::GetCheckpointResponse* response) {
  auto caller = auth_.Authorize(*context, MethodOf<v1::GetCheckpointRequest>().path);
  if (!caller.ok()) return ToGrpcStatus(caller.status());
  auto checkpoint = tree_.LatestCheckpoint(DeadlineOf(*context));
  if (!checkpoint.ok()) return ToGrpcStatus(checkpoint.status());
  if (!*checkpoint) {
    return ToGrpcStatus(absl::FailedPreconditionError(
        "the audit log has no checkpoint yet: one is signed within a second of the first event"));
  }
  response->set_note((*checkpoint)->note);
  response->set_tree_size((*checkpoint)->tree_size);
  ToProto((*checkpoint)->sign_time, response->mutable_sign_time());
  return grpc::Status::OK;
}

grpc::Status AuditServiceImpl::GetInclusionProof(grpc::ServerContext* context,
                                                 const v1::GetInclusionProofRequest* request,
                                                 v1::GetInclusionProofResponse* response) {
  auto caller = auth_.Authorize(*context, MethodOf<v1::GetInclusionProofRequest>().path);
  if (!caller.ok()) return ToGrpcStatus(caller.status());
  if (auto s = CheckInclusionProofRequest(*request); !s.ok()) return ToGrpcStatus(s);
  auto proof = tree_.Inclusion(request->sequence(), request->tree_size(), DeadlineOf(*context));
  if (!proof.ok()) return ToGrpcStatus(proof.status());
  ToProto(proof->event, response->mutable_audit_event());
  response->set_leaf_index(proof->event.sequence - 1);
  response->set_tree_size(proof->tree_size);
  for (auto& hash : proof->hashes) response->add_hashes(std::move(hash));
  return grpc::Status::OK;
}

grpc::Status AuditServiceImpl::GetConsistencyProof(grpc::ServerContext* context,
                                                   const v1::GetConsistencyProofRequest* request,
                                                   v1::GetConsistencyProofResponse* response) {
  auto caller = auth_.Authorize(*context, MethodOf<v1::GetConsistencyProofRequest>().path);
  if (!caller.ok()) return ToGrpcStatus(caller.status());
  if (auto s = CheckConsistencyProofRequest(*request); !s.ok()) return ToGrpcStatus(s);
  auto proof =
      tree_.Consistency(request->first_size(), request->second_size(), DeadlineOf(*context));
  if (!proof.ok()) return ToGrpcStatus(proof.status());
  response->set_first_size(proof->first_size);
  response->set_second_size(proof->second_size);
  for (auto& hash : proof->hashes) response->add_hashes(std::move(hash));
  return grpc::Status::OK;
}

}  // namespace compliance
