#pragma once

#include "api/audit_worker.h"
#include "api/authenticator.h"
#include "compliance/v1/audit.grpc.pb.h"
#include "store/audit_store.h"

namespace compliance {

/// compliance.v1.AuditService: the sealed log, its live feed and its verification.
class AuditServiceImpl final : public v1::AuditService::Service {
 public:
  AuditServiceImpl(AuditStore& store, AuditWorker& worker, Authenticator& auth)
      : store_(store), worker_(worker), auth_(auth) {}

  grpc::Status ListAuditEvents(grpc::ServerContext* context,
                               const v1::ListAuditEventsRequest* request,
                               v1::ListAuditEventsResponse* response) override;
  grpc::Status WatchAuditEvents(grpc::ServerContext* context,
                                const v1::WatchAuditEventsRequest* request,
                                grpc::ServerWriter<v1::WatchAuditEventsResponse>* writer) override;
  grpc::Status VerifyAuditLog(grpc::ServerContext* context,
                              const v1::VerifyAuditLogRequest* request,
                              v1::VerifyAuditLogResponse* response) override;

 private:
  AuditStore& store_;
  AuditWorker& worker_;
  Authenticator& auth_;
};

}  // namespace compliance
