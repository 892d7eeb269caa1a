#pragma once

#include "api/authenticator.h"
#include "compliance/v1/requirement.grpc.pb.h"
#include "domain/clock.h"
#include "store/requirement_store.h"

namespace compliance {

/// compliance.v1.RequirementService over the requirement store.
class RequirementServiceImpl final : public v1::RequirementService::Service {
 public:
  RequirementServiceImpl(RequirementStore& store, const Clock& clock, Authenticator& auth)
      : store_(store), clock_(clock), auth_(auth) {}

  grpc::Status GetRequirement(grpc::ServerContext* context,
                              const v1::GetRequirementRequest* request,
                              v1::GetRequirementResponse* response) override;
  grpc::Status ListRequirements(grpc::ServerContext* context,
                                const v1::ListRequirementsRequest* request,
                                v1::ListRequirementsResponse* response) override;
  grpc::Status UpdateRequirement(grpc::ServerContext* context,
                                 const v1::UpdateRequirementRequest* request,
                                 v1::UpdateRequirementResponse* response) override;
  grpc::Status ReviewRequirement(grpc::ServerContext* context,
                                 const v1::ReviewRequirementRequest* request,
                                 v1::ReviewRequirementResponse* response) override;

 private:
  RequirementStore& store_;
  const Clock& clock_;
  Authenticator& auth_;
};

}  // namespace compliance
