#pragma once

#include "api/audit_watchers.h"
#include "api/authenticator.h"
#include "compliance/v1/audit.grpc.pb.h"
#include "store/audit_store.h"
#include "store/audit_tree_store.h"

namespace compliance {

/// compliance.v1.AuditService: the sealed log, its live feed and its verification. The feed
/// runs on the callback API with the serialized response as a raw message (measured in
/// bench/README.md), the other methods on the sync API.
class AuditServiceImpl final
    : public v1::AuditService::WithRawCallbackMethod_WatchAuditEvents<v1::AuditService::Service> {
 public:
  AuditServiceImpl(AuditStore& store, AuditTreeStore& tree, AuditWatchers& watchers,
                   Authenticator& auth)
      : store_(store), tree_(tree), watchers_(watchers), auth_(auth) {}

  grpc::Status ListAuditEvents(grpc::ServerContext* context,
                               const v1::ListAuditEventsRequest* request,
                               v1::ListAuditEventsResponse* response) override;
  grpc::ServerWriteReactor<grpc::ByteBuffer>* WatchAuditEvents(
      grpc::CallbackServerContext* context, const grpc::ByteBuffer* request) override {
    return watchers_.Open(context, request);
  }
  grpc::Status VerifyAuditLog(grpc::ServerContext* context,
                              const v1::VerifyAuditLogRequest* request,
                              v1::VerifyAuditLogResponse* response) override;
  grpc::Status GetCheckpoint(grpc::ServerContext* context, const v1::GetCheckpointRequest* request,
                             v1::GetCheckpointResponse* response) override;
  grpc::Status GetInclusionProof(grpc::ServerContext* context,
                                 const v1::GetInclusionProofRequest* request,
                                 v1::GetInclusionProofResponse* response) override;
  grpc::Status GetConsistencyProof(grpc::ServerContext* context,
                                   const v1::GetConsistencyProofRequest* request,
                                   v1::GetConsistencyProofResponse* response) override;

 private:
  AuditStore& store_;
  AuditTreeStore& tree_;
  AuditWatchers& watchers_;
  Authenticator& auth_;
};

}  // namespace compliance
