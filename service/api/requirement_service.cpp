#include "api/requirement_service.h"

#include <google/protobuf/arena.h>

#include <string>
#include <vector>

#include "absl/types/span.h"
#include "api/audit_entries.h"
#include "api/deadline.h"
#include "api/mutation_call.h"
#include "api/proto_time.h"
#include "api/requirement_mapping.h"
#include "api/requirement_requests.h"
#include "api/status.h"
#include "api/wire_memo.h"

namespace compliance {

namespace {

// Answers from memory on gRPC's thread when `answer(false)` can; otherwise runs
// `answer(true)` on `executor` and finishes the call from there.
template <typename Answer>
grpc::ServerUnaryReactor* AnswerFromMemoryOrWait(grpc::CallbackServerContext* context,
                                                 BlockingExecutor& executor, Answer answer) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  if (std::optional<grpc::Status> status = answer(false)) {
    reactor->Finish(*status);
  } else {
    executor.Run([reactor, answer] { reactor->Finish(*answer(true)); });
  }
  return reactor;
}

// Each requirement as ToProto renders it at `now`, serialized as a v1::Requirement.
std::vector<std::string> SerializedEach(absl::Span<const Requirement> requirements,
                                        absl::Time now) {
  std::vector<std::string> pieces;
  for (const auto& requirement : requirements) {
    google::protobuf::Arena arena;
    auto* message = google::protobuf::Arena::CreateMessage<v1::Requirement>(&arena);
    ToProto(requirement, now, message);
    pieces.push_back(message->SerializeAsString());
  }
  return pieces;
}

// What a rendering reads besides the requirements themselves: whether each one's review is
// overdue at `now` (the cache's span of validity already ends when one falls due; this makes
// the bytes right even without relying on that).
std::string ReviewOverdueFlags(absl::Span<const Requirement> requirements, absl::Time now) {
  std::string flags;
  for (const auto& requirement : requirements) {
    flags += IsReviewOverdue(requirement, now) ? '1' : '0';
  }
  return flags;
}

}  // namespace

grpc::ServerUnaryReactor* RequirementServiceImpl::GetRequirement(
    grpc::CallbackServerContext* context, const v1::GetRequirementRequest* request,
    v1::GetRequirementResponse* response) {
  return AnswerFromMemoryOrWait(context, database_reads_, [=](bool may_block) {
    return AnswerGet(context, request, response, may_block);
  });
}

grpc::ServerUnaryReactor* RequirementServiceImpl::ListRequirements(
    grpc::CallbackServerContext* context, const v1::ListRequirementsRequest* request,
    v1::ListRequirementsResponse* response) {
  return AnswerFromMemoryOrWait(context, database_reads_, [=](bool may_block) {
    return AnswerList(context, request, response, may_block);
  });
}

std::optional<grpc::Status> RequirementServiceImpl::AnswerGet(
    grpc::CallbackServerContext* context, const v1::GetRequirementRequest* request,
    v1::GetRequirementResponse* response, bool may_block) {
  auto caller = auth_.Authorize(*context, MethodOf(*request).path, may_block);
  if (!caller) return std::nullopt;
  if (!caller->ok()) return ToGrpcStatus(caller->status());
  auto key = ParseRequirementName("name", request->name());
  if (!key.ok()) return ToGrpcStatus(key.status());
  const absl::Time now = clock_.Now();
  if (may_block) {
    auto fetched = store_.Get(*key, now, DeadlineOf(*context));
    if (!fetched.ok()) return ToGrpcStatus(fetched.status());
    ToProto(*fetched, now, response->mutable_requirement());
    return grpc::Status::OK;
  }
  auto requirement = store_.GetFromMemory(*key, now);
  if (!requirement) return std::nullopt;
  const auto wire = get_wire_.Get(requirement, ReviewOverdueFlags({requirement.get(), 1}, now),
                                  [now](const Requirement& r) {
                                    return SerializedEach({&r, 1}, now);
                                  });
  AppendSerialized(*response, v1::GetRequirementResponse::kRequirementFieldNumber, *wire);
  return grpc::Status::OK;
}

std::optional<grpc::Status> RequirementServiceImpl::AnswerList(
    grpc::CallbackServerContext* context, const v1::ListRequirementsRequest* request,
    v1::ListRequirementsResponse* response, bool may_block) {
  auto caller = auth_.Authorize(*context, MethodOf(*request).path, may_block);
  if (!caller) return std::nullopt;
  if (!caller->ok()) return ToGrpcStatus(caller->status());
  auto query = ParseListRequirements(*request);
  if (!query.ok()) return ToGrpcStatus(query.status());
  const absl::Time now = clock_.Now();
  std::shared_ptr<const RequirementPage> page;
  if (may_block) {
    auto fetched = store_.List(query->filter, query->after_position, query->page_size, now,
                               DeadlineOf(*context));
    if (!fetched.ok()) return ToGrpcStatus(fetched.status());
    page = std::make_shared<const RequirementPage>(*std::move(fetched));
    for (const auto& requirement : page->requirements) {
      ToProto(requirement, now, response->add_requirements());
    }
  } else if ((page = store_.ListFromMemory(query->filter, query->after_position, query->page_size,
                                           now))) {
    const auto wire = list_wire_.Get(
        page, ReviewOverdueFlags(page->requirements, now),
        [now](const RequirementPage& p) { return SerializedEach(p.requirements, now); });
    AppendSerialized(*response, v1::ListRequirementsResponse::kRequirementsFieldNumber, *wire);
  } else {
    return std::nullopt;
  }
  if (page->more) {
    response->set_next_page_token(NextRequirementsPageToken(*query, page->positions.back()));
  }
  return grpc::Status::OK;
}

grpc::Status RequirementServiceImpl::UpdateRequirement(grpc::ServerContext* context,
                                                       const v1::UpdateRequirementRequest* request,
                                                       v1::UpdateRequirementResponse* response) {
  auto call = AuthorizeMutation(auth_, *context, *request);
  if (!call.ok()) return ToGrpcStatus(call.status());
  auto update = ParseUpdateRequirement(*request);
  if (!update.ok()) return ToGrpcStatus(update.status());
  const absl::Time now = clock_.Now();
  auto requirement = commands_.Update(
      call->context, update->key, update->changes, update->request_etag, update->resource_etag, now,
      MakeAuditor<v1::Requirement, Requirement>(call->caller.name, call->method->path, "", now));
  if (!requirement.ok()) return ToGrpcStatus(requirement.status());
  ToProto(*requirement, now, response->mutable_requirement());
  return grpc::Status::OK;
}

grpc::Status RequirementServiceImpl::ReviewRequirement(grpc::ServerContext* context,
                                                       const v1::ReviewRequirementRequest* request,
                                                       v1::ReviewRequirementResponse* response) {
  auto call = AuthorizeMutation(auth_, *context, *request);
  if (!call.ok()) return ToGrpcStatus(call.status());
  const absl::Time now = clock_.Now();
  auto parsed = ParseReviewRequirement(*request, call->caller.name, now);
  if (!parsed.ok()) return ToGrpcStatus(parsed.status());
  auto requirement = commands_.Review(
      call->context, parsed->key, ReviewCommand{parsed->review, parsed->time_given, parsed->etag},
      now,
      MakeAuditor<v1::Requirement, Requirement>(call->caller.name, call->method->path, "", now));
  if (!requirement.ok()) return ToGrpcStatus(requirement.status());
  ToProto(*requirement, now, response->mutable_requirement());
  return grpc::Status::OK;
}

}  // namespace compliance
