#include "api/action_service.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "api/action_mapping.h"
#include "api/audit_entries.h"
#include "api/proto_time.h"
#include "api/status.h"
#include "domain/errors.h"
#include "domain/etag.h"
#include "domain/page.h"
#include "domain/text.h"

namespace compliance {
namespace {

struct ListActionsQuery {
  ActionFilter filter;
  int page_size = kDefaultPageSize;
  std::optional<TimeCursor> after;
  std::string fingerprint;
};

absl::StatusOr<ListActionsQuery> ParseListActions(const v1::ListActionsRequest& request) {
  ListActionsQuery query;
  auto& filter = query.filter;
  if (!request.requirement().empty()) {
    auto key = ParseRequirementName("requirement", request.requirement());
    if (!key.ok()) return key.status();
    filter.requirement = *key;
  }
  if (!v1::ActionState_IsValid(request.state())) {
    return FieldError("state", "is not a known ActionState value");
  }
  filter.state = static_cast<ActionState>(request.state());
  filter.overdue_only = request.overdue_only();
  filter.owner = request.owner();
  if (auto s = CheckText("owner", filter.owner, 0, 256); !s.ok()) return s;
  auto page_size = EffectivePageSize(request.page_size());
  if (!page_size.ok()) return page_size.status();
  query.page_size = *page_size;
  query.fingerprint =
      FilterFingerprint(absl::StrCat("actions\n", request.requirement(), "\n", request.state(),
                                     "\n", filter.overdue_only, "\n", filter.owner));
  auto cursor = DecodeTimeCursor(request.page_token(), query.fingerprint);
  if (!cursor.ok()) return cursor.status();
  query.after = *cursor;
  return query;
}

}  // namespace

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
  if (!request->has_action()) return ToGrpcStatus(FieldError("action", "is required"));
  auto id = ParseUuidName("action.name", "actions", request->action().name());
  if (!id.ok()) return ToGrpcStatus(id.status());
  auto paths = ActionUpdatePaths(*request);
  if (!paths.ok()) return ToGrpcStatus(paths.status());
  // Field checks that need no stored state come first, so bad input is INVALID_ARGUMENT
  // whatever the action's state.
  ActionFields probe;
  probe.kind = 1;
  probe.title = "t";
  probe.owner = "o";
  if (auto s = ApplyActionUpdate(*request, *paths, probe); !s.ok()) return ToGrpcStatus(s);
  auto updated = store_.Update(
      *id,
      [&](Action& current) {
        if (auto s = CheckEtag(request->etag(), request->action().etag(), ActionEtag(current));
            !s.ok()) {
          return s;
        }
        if (auto s = RequireOpen(current, "updated"); !s.ok()) return s;
        return ApplyActionUpdate(*request, *paths, current.fields);
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
  auto id = ParseUuidName("name", "actions", request->name());
  if (!id.ok()) return ToGrpcStatus(id.status());
  auto completion = ParseCompleteAction(*request);
  if (!completion.ok()) return ToGrpcStatus(completion.status());
  const absl::Time now = clock_.Now();
  auto completed = store_.Complete(*id, *completion, caller->name, now, DeadlineOf(*context),
                                   Auditor(caller->name, "CompleteAction", completion->request_id));
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
  auto id = ParseUuidName("name", "actions", request->name());
  if (!id.ok()) return ToGrpcStatus(id.status());
  if (request->reason().empty()) return ToGrpcStatus(FieldError("reason", "is required"));
  if (auto s = CheckText("reason", request->reason(), 1, 4000); !s.ok()) return ToGrpcStatus(s);
  auto cancelled = store_.Cancel(*id, request->reason(), request->etag(), DeadlineOf(*context),
                                 Auditor(caller->name, "CancelAction", ""));
  if (!cancelled.ok()) return ToGrpcStatus(cancelled.status());
  ToProto(*cancelled, clock_.Now(), response->mutable_action());
  return grpc::Status::OK;
}

}  // namespace compliance
