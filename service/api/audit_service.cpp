#include "api/audit_service.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "api/audit_entries.h"
#include "api/proto_time.h"
#include "api/status.h"
#include "domain/errors.h"
#include "domain/page.h"
#include "domain/text.h"

namespace compliance {
namespace {

// Events a watcher reads per query while catching up; Write() blocks on flow control, so a
// slow consumer holds at most this many events in server memory.
constexpr int kWatchBatch = 500;

void EventToProto(const AuditEvent& event, v1::AuditEvent* out) {
  out->set_name(absl::StrCat("auditEvents/", event.sequence));
  out->set_sequence(event.sequence);
  ToProto(event.time, out->mutable_time());
  out->set_actor(event.entry.actor);
  out->set_method(event.entry.method);
  out->set_resource(event.entry.resource);
  out->set_request_id(event.entry.request_id);
  out->set_before_json(event.entry.before_json);
  out->set_after_json(event.entry.after_json);
  out->set_prev_hash(event.prev_hash);
  out->set_hash(event.hash);
}

}  // namespace

grpc::Status AuditServiceImpl::ListAuditEvents(grpc::ServerContext* context,
                                               const v1::ListAuditEventsRequest* request,
                                               v1::ListAuditEventsResponse* response) {
  auto caller = auth_.Authorize(
      *context, FullMethod(v1::AuditService::service_full_name(), "ListAuditEvents"));
  if (!caller.ok()) return ToGrpcStatus(caller.status());
  if (request->after_sequence() < 0) {
    return ToGrpcStatus(FieldError("after_sequence", "must not be negative"));
  }
  if (auto s = CheckText("resource", request->resource(), 0, 512); !s.ok()) {
    return ToGrpcStatus(s);
  }
  auto page_size = EffectivePageSize(request->page_size());
  if (!page_size.ok()) return ToGrpcStatus(page_size.status());
  const std::string fingerprint = FilterFingerprint(
      absl::StrCat("audit\n", request->after_sequence(), "\n", request->resource()));
  auto cursor = DecodePageToken(request->page_token(), fingerprint);
  if (!cursor.ok()) return ToGrpcStatus(cursor.status());
  int64_t after = request->after_sequence();
  if (*cursor && !absl::SimpleAtoi((*cursor)->sort_key, &after)) {
    return ToGrpcStatus(FieldError("page_token", "is not a token this server issued"));
  }
  auto events = store_.List(after, request->resource(), *page_size + 1, DeadlineOf(*context));
  if (!events.ok()) return ToGrpcStatus(events.status());
  const bool more = static_cast<int>(events->size()) > *page_size;
  if (more) events->pop_back();
  for (const auto& event : *events) EventToProto(event, response->add_audit_events());
  if (more) {
    response->set_next_page_token(
        EncodePageToken(fingerprint, PageCursor{absl::StrCat(events->back().sequence), ""}));
  }
  return grpc::Status::OK;
}

grpc::Status AuditServiceImpl::WatchAuditEvents(
    grpc::ServerContext* context, const v1::WatchAuditEventsRequest* request,
    grpc::ServerWriter<v1::WatchAuditEventsResponse>* writer) {
  auto caller = auth_.Authorize(
      *context, FullMethod(v1::AuditService::service_full_name(), "WatchAuditEvents"));
  if (!caller.ok()) return ToGrpcStatus(caller.status());
  if (request->after_sequence() < 0) {
    return ToGrpcStatus(FieldError("after_sequence", "must not be negative"));
  }
  int64_t after = request->after_sequence();
  // The replay comes from the table, the truth; the live tail, read from the table moments
  // after sealing, from the worker's memory; a quiet second goes back to the table.
  bool read_table = true;
  while (!context->IsCancelled()) {
    // A stream outlives tokens: a revoked one stops it within the authenticator's cache time.
    if (auto again = auth_.Authorize(
            *context, FullMethod(v1::AuditService::service_full_name(), "WatchAuditEvents"));
        !again.ok()) {
      return ToGrpcStatus(again.status());
    }
    auto events = read_table ? std::nullopt : worker_.RecentAfter(after, kWatchBatch);
    if (!events) {
      auto listed = store_.List(after, "", kWatchBatch, absl::Now() + absl::Seconds(10));
      if (!listed.ok()) return ToGrpcStatus(listed.status());
      events.emplace();
      for (auto& event : *listed) {
        events->push_back(std::make_shared<const AuditEvent>(std::move(event)));
      }
    }
    for (const auto& event : *events) {
      v1::WatchAuditEventsResponse message;
      EventToProto(*event, message.mutable_audit_event());
      if (!writer->Write(message)) return grpc::Status::OK;  // the client went away
      after = event->sequence;
    }
    if (static_cast<int>(events->size()) == kWatchBatch) continue;  // still catching up
    switch (worker_.WaitBeyond(after, absl::Seconds(1))) {
      case AuditWorker::Wake::kStopping:
        return grpc::Status(grpc::StatusCode::UNAVAILABLE,
                            "server shutting down; reconnect with after_sequence to resume");
      case AuditWorker::Wake::kTimeout:
        read_table = true;
        break;
      case AuditWorker::Wake::kNewEvents:
        read_table = false;
        break;
    }
  }
  return grpc::Status(grpc::StatusCode::CANCELLED, "watch cancelled");
}

grpc::Status AuditServiceImpl::VerifyAuditLog(grpc::ServerContext* context,
                                              const v1::VerifyAuditLogRequest* /*request*/,
                                              v1::VerifyAuditLogResponse* response) {
  auto caller = auth_.Authorize(
      *context, FullMethod(v1::AuditService::service_full_name(), "VerifyAuditLog"));
  if (!caller.ok()) return ToGrpcStatus(caller.status());
  auto report = store_.Verify(DeadlineOf(*context, absl::Minutes(10)));
  if (!report.ok()) return ToGrpcStatus(report.status());
  response->set_intact(report->intact);
  response->set_verified_events(report->verified_events);
  response->set_first_broken_sequence(report->first_broken_sequence);
  response->set_detail(report->detail);
  return grpc::Status::OK;
}

}  // namespace compliance
