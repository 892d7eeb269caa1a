#pragma once

#include "api/authenticator.h"
#include "app/evidence_commands.h"
#include "app/evidence_create_groups.h"
#include "compliance/v1/evidence.grpc.pb.h"
#include "domain/clock.h"
#include "store/evidence_store.h"

namespace compliance {

/// compliance.v1.EvidenceService: reads from the evidence store, mutations through
/// EvidenceCommands (single creates through EvidenceCreateGroups, which commits concurrent
/// ones together).
class EvidenceServiceImpl final : public v1::EvidenceService::Service {
 public:
  EvidenceServiceImpl(EvidenceStore& store, EvidenceCommands& commands,
                      EvidenceCreateGroups& creates, const Clock& clock, Authenticator& auth)
      : store_(store), commands_(commands), creates_(creates), clock_(clock), auth_(auth) {}

  grpc::Status CreateEvidence(grpc::ServerContext* context,
                              const v1::CreateEvidenceRequest* request,
                              v1::CreateEvidenceResponse* response) override;
  grpc::Status BatchCreateEvidence(grpc::ServerContext* context,
                                   const v1::BatchCreateEvidenceRequest* request,
                                   v1::BatchCreateEvidenceResponse* response) override;
  grpc::Status GetEvidence(grpc::ServerContext* context, const v1::GetEvidenceRequest* request,
                           v1::GetEvidenceResponse* response) override;
  grpc::Status ListEvidence(grpc::ServerContext* context, const v1::ListEvidenceRequest* request,
                            v1::ListEvidenceResponse* response) override;
  grpc::Status WithdrawEvidence(grpc::ServerContext* context,
                                const v1::WithdrawEvidenceRequest* request,
                                v1::WithdrawEvidenceResponse* response) override;

 private:
  EvidenceStore& store_;
  EvidenceCommands& commands_;
  EvidenceCreateGroups& creates_;
  const Clock& clock_;
  Authenticator& auth_;
};

}  // namespace compliance
