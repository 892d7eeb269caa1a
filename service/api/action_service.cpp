#include "api/action_service.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "api/action_mapping.h"
#include "api/action_requests.h"
#include "api/audit_entries.h"
#include "api/proto_time.h"
#include "api/status.h"
#include "domain/errors.h"
#include "domain/etag.h"
#include "domain/page.h"
#include "domain/text.h"

namespace compliance {
AuditFn<Action> ActionServiceImpl::Auditor(const std::string& actor, const char* method,
                                           const std::string& request_id) const {
  return MakeAuditor<v1::LeadershipAction, Action>(
      actor, FullMethod(v1::ActionService::service_full_name(), method), request_id, clock_.Now());
}

grpc::Status ActionServiceImpl::CreateAction(grpc::ServerContext* context,
                                             const v1::CreateActionRequest* request,
                                             v1::CreateActionResponse* response) {
  auto caller =
      auth_.Authorize(*context, FullMethod(v1::ActionService::service_full_name(), "CreateAction"));
  if (!caller.ok()) return ToGrpcStatus(caller.status());
  auto fields = ParseCreateAction(*request);
  if (!fields.ok()) return ToGrpcStatus(fields.status());
  auto created = store_.Create(*fields, request->request_id(), CreateActionHash(*fields),
                               caller->name, DeadlineOf(*context),
                               Auditor(caller->name, "CreateAction", request->request_id()));
  if (!created.ok()) return ToGrpcStatus(created.status());
  ToProto(created->first, clock_.Now(), response->mutable_action());
  return grpc::Status::OK;
}

grpc::Status ActionServiceImpl::GetAction(grpc::ServerContext* context,
                                          const v1::GetActionRequest* request,
                                          v1::GetActionResponse* response) {
  auto caller =
      auth_.Authorize(*context, FullMethod(v1::ActionService::service_full_name(), "GetAction"));
  if (!caller.ok()) return ToGrpcStatus(caller.status());
  auto id = ParseUuidName("name", "actions", request->name());
  if (!id.ok()) return ToGrpcStatus(id.status());
  auto action = store_.Get(*id, DeadlineOf(*context));
  if (!action.ok()) return ToGrpcStatus(action.status());
  ToProto(*action, clock_.Now(), response->mutable_action());
  return grpc::Status::OK;
}

grpc::Status ActionServiceImpl::ListActions(grpc::ServerContext* context,
                                            const v1::ListActionsRequest* request,
                                            v1::ListActionsResponse* response) {
  auto caller =
      auth_.Authorize(*context, FullMethod(v1::ActionService::service_full_name(), "ListActions"));
  if (!caller.ok()) return ToGrpcStatus(caller.status());
  auto query = ParseListActions(*request);
  if (!query.ok()) return ToGrpcStatus(query.status());
  const absl::Time now = clock_.Now();
  bool more = false;
  auto page =
      store_.List(query->filter, query->after, query->page_size, now, DeadlineOf(*context), &more);
  if (!page.ok()) return ToGrpcStatus(page.status());
  for (const auto& action : *page) ToProto(action, now, response->add_actions());
  if (more && !page->empty()) {
    const Action& last = page->back();
    response->set_next_page_token(
        EncodeTimeCursor(query->fingerprint, TimeCursor{last.fields.due_time, last.id}));
  }
  return grpc::Status::OK;
}

grpc::Status ActionServiceImpl::UpdateAction(grpc::ServerContext* context,
                                             const v1::UpdateActionRequest* request,
                                             v1::UpdateActionResponse* response) {
  auto caller =
      auth_.Authorize(*context, FullMethod(v1::ActionService::service_full_name(), "UpdateAction"));
  if (!caller.ok()) return ToGrpcStatus(caller.status());
  auto parsed = ParseUpdateAction(*request);
  if (!parsed.ok()) return ToGrpcStatus(parsed.status());
  auto updated = store_.Update(
      parsed->id,
      [&](Action& current) {
        if (auto s = CheckEtag(request->etag(), request->action().etag(), ActionEtag(current));
            !s.ok()) {
          return s;
        }
        if (auto s = RequireOpen(current, "updated"); !s.ok()) return s;
        return ApplyActionUpdate(*request, parsed->paths, current.fields);
      },
      DeadlineOf(*context), Auditor(caller->name, "UpdateAction", ""));
  if (!updated.ok()) return ToGrpcStatus(updated.status());
  ToProto(*updated, clock_.Now(), response->mutable_action());
  return grpc::Status::OK;
}

grpc::Status ActionServiceImpl::CompleteAction(grpc::ServerContext* context,
                                               const v1::CompleteActionRequest* request,
                                               v1::CompleteActionResponse* response) {
  auto caller = auth_.Authorize(
      *context, FullMethod(v1::ActionService::service_full_name(), "CompleteAction"));
  if (!caller.ok()) return ToGrpcStatus(caller.status());
  auto parsed = ParseCompleteActionRequest(*request);
  if (!parsed.ok()) return ToGrpcStatus(parsed.status());
  const absl::Time now = clock_.Now();
  auto completed =
      store_.Complete(parsed->id, parsed->completion, caller->name, now, DeadlineOf(*context),
                      Auditor(caller->name, "CompleteAction", parsed->completion.request_id));
  if (!completed.ok()) return ToGrpcStatus(completed.status());
  ToProto(completed->action, now, response->mutable_action());
  if (completed->next_action)
    ToProto(*completed->next_action, now, response->mutable_next_action());
  return grpc::Status::OK;
}

grpc::Status ActionServiceImpl::CancelAction(grpc::ServerContext* context,
                                             const v1::CancelActionRequest* request,
                                             v1::CancelActionResponse* response) {
  auto caller =
      auth_.Authorize(*context, FullMethod(v1::ActionService::service_full_name(), "CancelAction"));
  if (!caller.ok()) return ToGrpcStatus(caller.status());
  auto parsed = ParseCancelAction(*request);
  if (!parsed.ok()) return ToGrpcStatus(parsed.status());
  auto cancelled = store_.Cancel(parsed->id, parsed->reason, request->etag(), DeadlineOf(*context),
                                 Auditor(caller->name, "CancelAction", ""));
  if (!cancelled.ok()) return ToGrpcStatus(cancelled.status());
  ToProto(*cancelled, clock_.Now(), response->mutable_action());
  return grpc::Status::OK;
}

}  // namespace compliance
