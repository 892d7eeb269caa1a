#pragma once

#include "api/authenticator.h"
#include "compliance/v1/report.grpc.pb.h"
#include "domain/clock.h"
#include "store/status_store.h"

namespace compliance {

/// compliance.v1.ReportService: audit readiness. (The OSCAL export is still to come and
/// answers UNIMPLEMENTED.)
class ReportServiceImpl final : public v1::ReportService::Service {
 public:
  ReportServiceImpl(StatusStore& store, const Clock& clock, Authenticator& auth)
      : store_(store), clock_(clock), auth_(auth) {}

  grpc::Status GetReadiness(grpc::ServerContext* context, const v1::GetReadinessRequest* request,
                            v1::GetReadinessResponse* response) override;

 private:
  StatusStore& store_;
  const Clock& clock_;
  Authenticator& auth_;
};

}  // namespace compliance
