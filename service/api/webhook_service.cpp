#include "api/webhook_service.h"

#include "api/audit_entries.h"
#include "api/mutation_call.h"
#include "api/resource_reads.h"
#include "api/status.h"
#include "api/webhook_mapping.h"
#include "api/webhook_requests.h"
#include "domain/request_hash.h"

namespace compliance {
namespace {

AuditFn<Webhook> Auditor(const AuthorizedMutation& call, const std::string& request_id,
                         absl::Time now) {
  return MakeAuditor<v1::Webhook, Webhook>(call.caller.name, call.method->path, request_id, now);
}

// The start of every mutation of a named subscription: authorize, then parse its name.
template <typename Request>
absl::StatusOr<std::pair<AuthorizedMutation, std::string>> NamedMutation(
    Authenticator& auth, const grpc::ServerContext& context, const Request& request) {
  auto call = AuthorizeMutation(auth, context, request);
  if (!call.ok()) return call.status();
  auto id = ParseWebhookName(request.name());
  if (!id.ok()) return id.status();
  return std::make_pair(*std::move(call), *std::move(id));
}

}  // namespace

grpc::Status WebhookServiceImpl::CreateWebhook(grpc::ServerContext* context,
                                               const v1::CreateWebhookRequest* request,
                                               v1::CreateWebhookResponse* response) {
  auto call = AuthorizeMutation(auth_, *context, *request);
  if (!call.ok()) return ToGrpcStatus(call.status());
  auto fields = ParseCreateWebhook(*request, allow_insecure_);
  if (!fields.ok()) return ToGrpcStatus(fields.status());
  const RequestKey key{request->request_id(), RequestHash(*fields), "request_id"};
  const absl::Time now = clock_.Now();
  auto created =
      commands_.Create(call->context, *fields, key, Auditor(*call, request->request_id(), now));
  if (!created.ok()) return ToGrpcStatus(created.status());
  ToProto(created->first.webhook, now, response->mutable_webhook());
  response->set_secret(created->first.secret);
  return grpc::Status::OK;
}

grpc::Status WebhookServiceImpl::GetWebhook(grpc::ServerContext* context,
                                            const v1::GetWebhookRequest* request,
                                            v1::GetWebhookResponse* response) {
  return AnswerGet(
      auth_, clock_, *context, *request, "webhooks",
      [&](const std::string& id, absl::Time deadline) { return store_.Get(id, deadline); },
      response->mutable_webhook());
}

grpc::Status WebhookServiceImpl::ListWebhooks(grpc::ServerContext* context,
                                              const v1::ListWebhooksRequest* request,
                                              v1::ListWebhooksResponse* response) {
  return AnswerList(
      auth_, clock_, *context, *request, ParseListWebhooks,
      [&](const ListWebhooksQuery& query, absl::Time, absl::Time deadline, bool* more) {
        return store_.List(query.after, query.page_size, deadline, more);
      },
      [](v1::ListWebhooksResponse& out) { return out.add_webhooks(); },
      [](const Webhook& last) {
        return TimeCursor{last.create_time, last.id};
      },
      response);
}

grpc::Status WebhookServiceImpl::UpdateWebhook(grpc::ServerContext* context,
                                               const v1::UpdateWebhookRequest* request,
                                               v1::UpdateWebhookResponse* response) {
  auto call = AuthorizeMutation(auth_, *context, *request);
  if (!call.ok()) return ToGrpcStatus(call.status());
  auto parsed = ParseUpdateWebhook(*request, allow_insecure_);
  if (!parsed.ok()) return ToGrpcStatus(parsed.status());
  const absl::Time now = clock_.Now();
  auto updated = commands_.Update(
      call->context, parsed->id, request->etag(), request->webhook().etag(),
      [&](const WebhookFields& current) {
        return ApplyWebhookUpdate(*request, parsed->paths, current, allow_insecure_);
      },
      Auditor(*call, "", now));
  if (!updated.ok()) return ToGrpcStatus(updated.status());
  ToProto(*updated, now, response->mutable_webhook());
  return grpc::Status::OK;
}

grpc::Status WebhookServiceImpl::DeleteWebhook(grpc::ServerContext* context,
                                               const v1::DeleteWebhookRequest* request,
                                               v1::DeleteWebhookResponse* /*response*/) {
  auto named = NamedMutation(auth_, *context, *request);
  if (!named.ok()) return ToGrpcStatus(named.status());
  const auto& [call, id] = *named;
  return ToGrpcStatus(
      commands_.Delete(call.context, id, request->etag(), Auditor(call, "", clock_.Now())));
}

grpc::Status WebhookServiceImpl::RotateWebhookSecret(grpc::ServerContext* context,
                                                     const v1::RotateWebhookSecretRequest* request,
                                                     v1::RotateWebhookSecretResponse* response) {
  auto named = NamedMutation(auth_, *context, *request);
  if (!named.ok()) return ToGrpcStatus(named.status());
  const auto& [call, id] = *named;
  const absl::Time now = clock_.Now();
  auto rotated = commands_.RotateSecret(call.context, id, request->etag(), Auditor(call, "", now));
  if (!rotated.ok()) return ToGrpcStatus(rotated.status());
  ToProto(rotated->webhook, now, response->mutable_webhook());
  response->set_secret(rotated->secret);
  return grpc::Status::OK;
}

grpc::Status WebhookServiceImpl::ResumeWebhook(grpc::ServerContext* context,
                                               const v1::ResumeWebhookRequest* request,
                                               v1::ResumeWebhookResponse* response) {
  auto named = NamedMutation(auth_, *context, *request);
  if (!named.ok()) return ToGrpcStatus(named.status());
  const auto& [call, id] = *named;
  const absl::Time now = clock_.Now();
  auto resumed = commands_.Resume(call.context, id, request->etag(), Auditor(call, "", now));
  if (!resumed.ok()) return ToGrpcStatus(resumed.status());
  ToProto(*resumed, now, response->mutable_webhook());
  return grpc::Status::OK;
}

}  // namespace compliance
