#include "api/report_service.h"

#include "api/audit_entries.h"
#include "api/proto_time.h"
#include "api/status.h"
#include "domain/errors.h"
#include "domain/names.h"
#include "domain/readiness.h"

namespace compliance {

grpc::Status ReportServiceImpl::GetReadiness(grpc::ServerContext* context,
                                             const v1::GetReadinessRequest* request,
                                             v1::GetReadinessResponse* response) {
  auto caller =
      auth_.Authorize(*context, FullMethod(v1::ReportService::service_full_name(), "GetReadiness"));
  if (!caller.ok()) return ToGrpcStatus(caller.status());
  if (!request->framework().empty() && !IsFrameworkId(request->framework())) {
    return ToGrpcStatus(FieldError("framework", "must be a framework id like iso27001-2022"));
  }
  if (!request->clause().empty() && !IsClause(request->clause())) {
    return ToGrpcStatus(FieldError("clause", "must be a clause like 5.1"));
  }
  const absl::Time now = clock_.Now();
  auto snapshot =
      store_.Snapshot(request->framework(), request->clause(), now, DeadlineOf(*context));
  if (!snapshot.ok()) return ToGrpcStatus(snapshot.status());
  int ready = 0;
  for (const auto& status : snapshot->requirements) {
    const Requirement& r = status.requirement;
    auto* row = response->add_requirements();
    row->set_requirement(r.key.Name());
    row->set_reference(r.reference);
    row->set_title(r.title);
    row->set_conformity(static_cast<v1::Conformity>(r.conformity));
    row->set_valid_evidence_count(r.valid_evidence_count);
    row->set_expired_evidence_count(status.expired_evidence_count);
    row->set_open_action_count(r.open_action_count);
    row->set_overdue_action_count(r.overdue_action_count);
    row->set_review_overdue(IsReviewOverdue(r, now));
    const auto gaps = ReadinessGaps(status, now);
    for (const auto gap : gaps) row->add_gaps(static_cast<v1::ReadinessGap>(gap));
    ready += gaps.empty() ? 1 : 0;
  }
  const int total = response->requirements_size();
  // Nothing to assess is not a clause ready for audit.
  response->set_audit_ready(total > 0 && ready == total);
  response->set_score(total > 0 ? static_cast<double>(ready) / total : 0);
  ToProto(now, response->mutable_evaluate_time());
  return grpc::Status::OK;
}

}  // namespace compliance
