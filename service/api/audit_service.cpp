#include "api/audit_service.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "api/audit_entries.h"
#include "api/audit_mapping.h"
#include "api/proto_time.h"
#include "api/status.h"
#include "domain/errors.h"
#include "domain/page.h"
#include "domain/text.h"

namespace compliance {

grpc::Status AuditServiceImpl::ListAuditEvents(grpc::ServerContext* context,
                                               const v1::ListAuditEventsRequest* request,
                                               v1::ListAuditEventsResponse* response) {
  auto caller = auth_.Authorize(
      *context, FullMethod(v1::AuditService::service_full_name(), "ListAuditEvents"));
  if (!caller.ok()) return ToGrpcStatus(caller.status());
  if (request->after_sequence() < 0) {
    return ToGrpcStatus(FieldError("after_sequence", "must not be negative"));
  }
  if (auto s = CheckText("resource", request->resource(), 0, 512); !s.ok()) {
    return ToGrpcStatus(s);
  }
  auto page_size = EffectivePageSize(request->page_size());
  if (!page_size.ok()) return ToGrpcStatus(page_size.status());
  const std::string fingerprint = FilterFingerprint(
      absl::StrCat("audit\n", request->after_sequence(), "\n", request->resource()));
  auto cursor = DecodePageToken(request->page_token(), fingerprint);
  if (!cursor.ok()) return ToGrpcStatus(cursor.status());
  int64_t after = request->after_sequence();
  if (*cursor && !absl::SimpleAtoi((*cursor)->sort_key, &after)) {
    return ToGrpcStatus(FieldError("page_token", "is not a token this server issued"));
  }
  auto events = store_.List(after, request->resource(), *page_size + 1, DeadlineOf(*context));
  if (!events.ok()) return ToGrpcStatus(events.status());
  const bool more = static_cast<int>(events->size()) > *page_size;
  if (more) events->pop_back();
  for (const auto& event : *events) ToProto(event, response->add_audit_events());
  if (more) {
    response->set_next_page_token(
        EncodePageToken(fingerprint, PageCursor{absl::StrCat(events->back().sequence), ""}));
  }
  return grpc::Status::OK;
}

grpc::Status AuditServiceImpl::VerifyAuditLog(grpc::ServerContext* context,
                                              const v1::VerifyAuditLogRequest* /*request*/,
                                              v1::VerifyAuditLogResponse* response) {
  auto caller = auth_.Authorize(
      *context, FullMethod(v1::AuditService::service_full_name(), "VerifyAuditLog"));
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
  auto caller =
      auth_.Authorize(*context, FullMethod(v1::AuditService::service_full_name(), "GetCheckpoint"));
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
  auto caller = auth_.Authorize(
      *context, FullMethod(v1::AuditService::service_full_name(), "GetInclusionProof"));
  if (!caller.ok()) return ToGrpcStatus(caller.status());
  if (request->sequence() < 1) return ToGrpcStatus(FieldError("sequence", "must be at least 1"));
  if (request->tree_size() < 0) {
    return ToGrpcStatus(FieldError("tree_size", "must not be negative (0: the newest checkpoint)"));
  }
  if (request->tree_size() != 0 && request->sequence() > request->tree_size()) {
    return ToGrpcStatus(FieldError("sequence", "must be at most tree_size"));
  }
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
  auto caller = auth_.Authorize(
      *context, FullMethod(v1::AuditService::service_full_name(), "GetConsistencyProof"));
  if (!caller.ok()) return ToGrpcStatus(caller.status());
  if (request->first_size() < 1) {
    return ToGrpcStatus(FieldError("first_size", "must be at least 1"));
  }
  if (request->second_size() < 0) {
    return ToGrpcStatus(
        FieldError("second_size", "must not be negative (0: the newest checkpoint)"));
  }
  if (request->second_size() != 0 && request->first_size() > request->second_size()) {
    return ToGrpcStatus(FieldError("first_size", "must be at most second_size"));
  }
  auto proof =
      tree_.Consistency(request->first_size(), request->second_size(), DeadlineOf(*context));
  if (!proof.ok()) return ToGrpcStatus(proof.status());
  response->set_first_size(proof->first_size);
  response->set_second_size(proof->second_size);
  for (auto& hash : proof->hashes) response->add_hashes(std::move(hash));
  return grpc::Status::OK;
}

}  // namespace compliance
