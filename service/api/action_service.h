#pragma once

#include "api/authenticator.h"
#include "compliance/v1/action.grpc.pb.h"
#include "domain/clock.h"
#include "store/action_store.h"

namespace compliance {

/// compliance.v1.ActionService over the action store.
class ActionServiceImpl final : public v1::ActionService::Service {
 public:
  ActionServiceImpl(ActionStore& store, const Clock& clock, Authenticator& auth)
      : store_(store), clock_(clock), auth_(auth) {}

  grpc::Status CreateAction(grpc::ServerContext* context, const v1::CreateActionRequest* request,
                            v1::CreateActionResponse* response) override;
  grpc::Status GetAction(grpc::ServerContext* context, const v1::GetActionRequest* request,
                         v1::GetActionResponse* response) override;
  grpc::Status ListActions(grpc::ServerContext* context, const v1::ListActionsRequest* request,
                           v1::ListActionsResponse* response) override;
  grpc::Status UpdateAction(grpc::ServerContext* context, const v1::UpdateActionRequest* request,
                            v1::UpdateActionResponse* response) override;
  grpc::Status CompleteAction(grpc::ServerContext* context,
                              const v1::CompleteActionRequest* request,
                              v1::CompleteActionResponse* response) override;
  grpc::Status CancelAction(grpc::ServerContext* context, const v1::CancelActionRequest* request,
                            v1::CancelActionResponse* response) override;

 private:
  /// Describes this call's change of an action for the audit log.
  AuditFn<Action> Auditor(const std::string& actor, const char* method,
                          const std::string& request_id) const;

  ActionStore& store_;
  const Clock& clock_;
  Authenticator& auth_;
};

}  // namespace compliance
