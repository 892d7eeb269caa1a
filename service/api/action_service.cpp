#include "api/action_service.h"

#include "api/action_mapping.h"
#include "api/action_requests.h"
#include "api/audit_entries.h"
#include "api/deadline.h"
#include "api/mutation_call.h"
#include "api/resource_reads.h"
#include "api/status.h"
#include "domain/page.h"
#include "domain/request_hash.h"

namespace compliance {
namespace {

AuditFn<Action> Auditor(const AuthorizedMutation& call, const std::string& request_id,
                        absl::Time now) {
  return MakeAuditor<v1::LeadershipAction, Action>(call.caller.name, call.method->path, request_id,
                                                   now);
}

}  // namespace

grpc::Status ActionServiceImpl::CreateAction(grpc::ServerContext* context,
                                             const v1::CreateActionRequest* request,
                                             v1::CreateActionResponse* response) {
  auto call = AuthorizeMutation(auth_, *context, *request);
  if (!call.ok()) return ToGrpcStatus(call.status());
  auto fields = ParseCreateAction(*request);
  if (!fields.ok()) return ToGrpcStatus(fields.status());
  const RequestKey key{request->request_id(), RequestHash(*fields), "request_id"};
  const absl::Time now = clock_.Now();
  auto created =
      commands_.Create(call->context, *fields, key, Auditor(*call, request->request_id(), now));
  if (!created.ok()) return ToGrpcStatus(created.status());
  ToProto(created->first, clock_.Now(), response->mutable_action());
  return grpc::Status::OK;
}

grpc::Status ActionServiceImpl::GetAction(grpc::ServerContext* context,
                                          const v1::GetActionRequest* request,
                                          v1::GetActionResponse* response) {
  return AnswerGet(
      auth_, clock_, *context, *request, "actions",
      [&](const std::string& id, absl::Time deadline) { return store_.Get(id, deadline); },
      response->mutable_action());
}

grpc::Status ActionServiceImpl::ListActions(grpc::ServerContext* context,
                                            const v1::ListActionsRequest* request,
                                            v1::ListActionsResponse* response) {
  return AnswerList(
      auth_, clock_, *context, *request, ParseListActions,
      [&](const ListActionsQuery& query, absl::Time now, absl::Time deadline, bool* more) {
        return store_.List(query.filter, query.after, query.page_size, now, deadline, more);
      },
      [](v1::ListActionsResponse& out) { return out.add_actions(); },
      [](const Action& last) {
        return TimeCursor{last.fields.due_time, last.id};
      },
      response);
}

grpc::Status ActionServiceImpl::UpdateAction(grpc::ServerContext* context,
                                             const v1::UpdateActionRequest* request,
                                             v1::UpdateActionResponse* response) {
  auto call = AuthorizeMutation(auth_, *context, *request);
  if (!call.ok()) return ToGrpcStatus(call.status());
  auto parsed = ParseUpdateAction(*request);
  if (!parsed.ok()) return ToGrpcStatus(parsed.status());
  auto updated = commands_.Update(
      call->context, parsed->id, request->etag(), request->action().etag(),
      [&](ActionFields& fields) { return ApplyActionUpdate(*request, parsed->paths, fields); },
      Auditor(*call, "", clock_.Now()));
  if (!updated.ok()) return ToGrpcStatus(updated.status());
  ToProto(*updated, clock_.Now(), response->mutable_action());
  return grpc::Status::OK;
}

grpc::Status ActionServiceImpl::CompleteAction(grpc::ServerContext* context,
                                               const v1::CompleteActionRequest* request,
                                               v1::CompleteActionResponse* response) {
  auto call = AuthorizeMutation(auth_, *context, *request);
  if (!call.ok()) return ToGrpcStatus(call.status());
  auto parsed = ParseCompleteActionRequest(*request);
  if (!parsed.ok()) return ToGrpcStatus(parsed.status());
  const absl::Time now = clock_.Now();
  auto completed = commands_.Complete(call->context, parsed->id, parsed->completion, parsed->key,
                                      now, Auditor(*call, parsed->key.request_id, now));
  if (!completed.ok()) return ToGrpcStatus(completed.status());
  ToProto(completed->action, now, response->mutable_action());
  if (completed->next_action) {
    ToProto(*completed->next_action, now, response->mutable_next_action());
  }
  return grpc::Status::OK;
}

grpc::Status ActionServiceImpl::CancelAction(grpc::ServerContext* context,
                                             const v1::CancelActionRequest* request,
                                             v1::CancelActionResponse* response) {
  auto call = AuthorizeMutation(auth_, *context, *request);
  if (!call.ok()) return ToGrpcStatus(call.status());
  auto parsed = ParseCancelAction(*request);
  if (!parsed.ok()) return ToGrpcStatus(parsed.status());
  auto cancelled = commands_.Cancel(call->context, parsed->id, parsed->reason, request->etag(),
                                    Auditor(*call, "", clock_.Now()));
  if (!cancelled.ok()) return ToGrpcStatus(cancelled.status());
  ToProto(*cancelled, clock_.Now(), response->mutable_action());
  return grpc::Status::OK;
}

}  // namespace compliance
