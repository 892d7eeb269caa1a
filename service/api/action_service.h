#pragma once

#include "api/authenticator.h"
#include "app/action_commands.h"
#include "compliance/v1/action.grpc.pb.h"
#include "domain/clock.h"
#include "store/action_store.h"

namespace compliance {

/// compliance.v1.ActionService: reads from the action store, mutations through ActionCommands.
class ActionServiceImpl final : public v1::ActionService::Service {
 public:
  ActionServiceImpl(ActionStore& store, ActionCommands& commands, const Clock& clock,
                    Authenticator& auth)
      : store_(store), commands_(commands), clock_(clock), auth_(auth) {}

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
  ActionStore& store_;
  ActionCommands& commands_;
  const Clock& clock_;
  Authenticator& auth_;
};

}  // namespace compliance
