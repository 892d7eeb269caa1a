#pragma once

#include <optional>

#include "api/authenticator.h"
#include "api/blocking_executor.h"
#include "api/wire_memo.h"
#include "app/requirement_commands.h"
#include "compliance/v1/requirement.grpc.pb.h"
#include "domain/clock.h"
#include "store/requirement_store.h"

namespace compliance {

using RequirementWire = WireMemo<Requirement>;
using RequirementPageWire = WireMemo<RequirementPage>;

/// compliance.v1.RequirementService: reads from the requirement store, mutations through
/// RequirementCommands. The two reads are on gRPC's callback API, served raw: a call that
/// memory can answer (the token and the requirement answer both held, the dashboards' usual
/// case) is answered on the thread that received it, with no hand-over to another thread, by
/// bytes serialized once for every call the same answer serves; any other waits for the
/// database on threads of our own.
class RequirementServiceImpl final
    : public v1::RequirementService::WithRawCallbackMethod_GetRequirement<
          v1::RequirementService::WithRawCallbackMethod_ListRequirements<
              v1::RequirementService::Service>> {
 public:
  RequirementServiceImpl(RequirementStore& store, RequirementCommands& commands, const Clock& clock,
                         Authenticator& auth)
      : store_(store), commands_(commands), clock_(clock), auth_(auth) {}

  grpc::ServerUnaryReactor* GetRequirement(grpc::CallbackServerContext* context,
                                           const grpc::ByteBuffer* request,
                                           grpc::ByteBuffer* response) override;
  grpc::ServerUnaryReactor* ListRequirements(grpc::CallbackServerContext* context,
                                             const grpc::ByteBuffer* request,
                                             grpc::ByteBuffer* response) override;
  grpc::Status UpdateRequirement(grpc::ServerContext* context,
                                 const v1::UpdateRequirementRequest* request,
                                 v1::UpdateRequirementResponse* response) override;
  grpc::Status ReviewRequirement(grpc::ServerContext* context,
                                 const v1::ReviewRequirementRequest* request,
                                 v1::ReviewRequirementResponse* response) override;

 private:
  // The answers; nullopt only when `may_block` is false and the database must be asked.
  std::optional<grpc::Status> AnswerGet(grpc::CallbackServerContext* context,
                                        const v1::GetRequirementRequest& request,
                                        grpc::ByteBuffer* response, bool may_block);
  std::optional<grpc::Status> AnswerList(grpc::CallbackServerContext* context,
                                         const v1::ListRequirementsRequest& request,
                                         grpc::ByteBuffer* response, bool may_block);

  RequirementStore& store_;
  RequirementCommands& commands_;
  const Clock& clock_;
  Authenticator& auth_;
  // Reads that miss memory; as many as can each hold a pooled connection without starving
  // the writers of the default pool of 16.
  BlockingExecutor database_reads_{8};
  // Answers from memory, serialized once for every call they answer.
  RequirementWire get_wire_;
  RequirementPageWire list_wire_;
};

}  // namespace compliance
