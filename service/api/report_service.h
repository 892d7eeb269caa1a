#pragma once

#include "api/authenticator.h"
#include "compliance/v1/report.grpc.pb.h"
#include "domain/clock.h"
#include "store/action_store.h"
#include "store/evidence_store.h"
#include "store/status_store.h"

namespace compliance {

/// compliance.v1.ReportService: audit readiness and the OSCAL assessment-results export.
class ReportServiceImpl final : public v1::ReportService::Service {
 public:
  ReportServiceImpl(StatusStore& store, EvidenceStore& evidence, ActionStore& actions,
                    const Clock& clock, Authenticator& auth)
      : store_(store), evidence_(evidence), actions_(actions), clock_(clock), auth_(auth) {}

  grpc::Status GetReadiness(grpc::ServerContext* context, const v1::GetReadinessRequest* request,
                            v1::GetReadinessResponse* response) override;
  grpc::Status ExportAssessmentResults(grpc::ServerContext* context,
                                       const v1::ExportAssessmentResultsRequest* request,
                                       v1::ExportAssessmentResultsResponse* response) override;

 private:
  StatusStore& store_;
  EvidenceStore& evidence_;
  ActionStore& actions_;
  const Clock& clock_;
  Authenticator& auth_;
};

}  // namespace compliance
