#include "api/requirement_service.h"

#include <google/protobuf/arena.h>

#include <string>
#include <type_traits>

#include "absl/types/span.h"
#include "api/audit_entries.h"
#include "api/deadline.h"
#include "api/mutation_call.h"
#include "api/proto_time.h"
#include "api/raw_messages.h"
#include "api/request_parse_errors.h"
#include "api/requirement_mapping.h"
#include "api/requirement_requests.h"
#include "api/rpc_method.h"
#include "api/status.h"
#include "api/wire_memo.h"

namespace compliance {

namespace {

// Parses the request, then answers from memory on gRPC's thread when `answer(request, false)`
// can; otherwise runs `answer(request, true)` on `executor` and finishes the call from there.
template <typename Request, typename Answer>
grpc::ServerUnaryReactor* AnswerFromMemoryOrWait(grpc::CallbackServerContext* context,
                                                 const grpc::ByteBuffer& bytes,
                                                 BlockingExecutor& executor, Answer answer) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  Request request;
  if (!ParseRequest(bytes, request)) {
    reactor->Finish(ToGrpcStatus(RequestParseError(MethodOf(request).path)));
  } else if (std::optional<grpc::Status> status = answer(request, false)) {
    reactor->Finish(*status);
  } else {
    executor.Run([reactor, answer, request = std::move(request)] {
      reactor->Finish(*answer(request, true));
    });
  }
  return reactor;
}

// `requirements` as ToProto renders them at `now`, serialized as the requirement (or
// requirements) field of `Response`.
template <typename Response>
std::string Serialized(absl::Span<const Requirement> requirements, absl::Time now) {
  google::protobuf::Arena arena;
  auto* message = google::protobuf::Arena::CreateMessage<Response>(&arena);
  for (const auto& requirement : requirements) {
    if constexpr (std::is_same_v<Response, v1::GetRequirementResponse>) {
      ToProto(requirement, now, message->mutable_requirement());
    } else {
      ToProto(requirement, now, message->add_requirements());
    }
  }
  return message->SerializeAsString();
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
    grpc::CallbackServerContext* context, const grpc::ByteBuffer* request,
    grpc::ByteBuffer* response) {
  return AnswerFromMemoryOrWait<v1::GetRequirementRequest>(
      context, *request, database_reads_,
      [=](const v1::GetRequirementRequest& parsed, bool may_block) {
        return AnswerGet(context, parsed, response, may_block);
      });
}

grpc::ServerUnaryReactor* RequirementServiceImpl::ListRequirements(
    grpc::CallbackServerContext* context, const grpc::ByteBuffer* request,
    grpc::ByteBuffer* response) {
  return AnswerFromMemoryOrWait<v1::ListRequirementsRequest>(
      context, *request, database_reads_,
      [=](const v1::ListRequirementsRequest& parsed, bool may_block) {
        return AnswerList(context, parsed, response, may_block);
      });
}

std::optional<grpc::Status> RequirementServiceImpl::AnswerGet(
    grpc::CallbackServerContext* context, const v1::GetRequirementRequest& request,
    grpc::ByteBuffer* response, bool may_block) {
  auto caller = auth_.Authorize(*context, MethodOf(request).path, may_block);
  if (!caller) return std::nullopt;
  if (!caller->ok()) return ToGrpcStatus(caller->status());
  auto key = ParseRequirementName("name", request.name());
  if (!key.ok()) return ToGrpcStatus(key.status());
  const absl::Time now = clock_.Now();
  if (may_block) {
    auto fetched = store_.Get(*key, now, DeadlineOf(*context));
    if (!fetched.ok()) return ToGrpcStatus(fetched.status());
    SetAnswer(*response,
              {grpc::Slice(Serialized<v1::GetRequirementResponse>({&*fetched, 1}, now))});
    return grpc::Status::OK;
  }
  auto requirement = store_.GetFromMemory(*key, now);
  if (!requirement) return std::nullopt;
  SetAnswer(*response, {get_wire_.Get(requirement, ReviewOverdueFlags({requirement.get(), 1}, now),
                                      [now](const Requirement& r) {
                                        return Serialized<v1::GetRequirementResponse>({&r, 1}, now);
                                      })});
  return grpc::Status::OK;
}

std::optional<grpc::Status> RequirementServiceImpl::AnswerList(
    grpc::CallbackServerContext* context, const v1::ListRequirementsRequest& request,
    grpc::ByteBuffer* response, bool may_block) {
  auto caller = auth_.Authorize(*context, MethodOf(request).path, may_block);
  if (!caller) return std::nullopt;
  if (!caller->ok()) return ToGrpcStatus(caller->status());
  auto query = ParseListRequirements(request);
  if (!query.ok()) return ToGrpcStatus(query.status());
  const absl::Time now = clock_.Now();
  std::shared_ptr<const RequirementPage> page;
  grpc::Slice requirements;
  if (may_block) {
    auto fetched = store_.List(query->filter, query->after_position, query->page_size, now,
                               DeadlineOf(*context));
    if (!fetched.ok()) return ToGrpcStatus(fetched.status());
    page = std::make_shared<const RequirementPage>(*std::move(fetched));
    requirements = grpc::Slice(Serialized<v1::ListRequirementsResponse>(page->requirements, now));
  } else if ((page = store_.ListFromMemory(query->filter, query->after_position, query->page_size,
                                           now))) {
    requirements = list_wire_.Get(
        page, ReviewOverdueFlags(page->requirements, now), [now](const RequirementPage& p) {
          return Serialized<v1::ListRequirementsResponse>(p.requirements, now);
        });
  } else {
    return std::nullopt;
  }
  if (!page->more) {
    SetAnswer(*response, {requirements});
    return grpc::Status::OK;
  }
  v1::ListRequirementsResponse token;
  token.set_next_page_token(NextRequirementsPageToken(*query, page->positions.back()));
  SetAnswer(*response, {requirements, grpc::Slice(token.SerializeAsString())});
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
