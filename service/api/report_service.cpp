#include "api/report_service.h"

#include <algorithm>
#include <set>

#include "api/audit_entries.h"
#include "api/deadline.h"
#include "api/proto_time.h"
#include "api/report_requests.h"
#include "api/rpc_method.h"
#include "api/status.h"
#include "domain/errors.h"
#include "domain/names.h"
#include "domain/oscal.h"
#include "domain/readiness.h"

namespace compliance {

grpc::Status ReportServiceImpl::GetReadiness(grpc::ServerContext* context,
                                             const v1::GetReadinessRequest* request,
                                             v1::GetReadinessResponse* response) {
  auto caller = auth_.Authorize(*context, MethodOf<v1::GetReadinessRequest>().path);
  if (!caller.ok()) return ToGrpcStatus(caller.status());
  if (auto s = CheckReportScope(request->framework(), request->clause()); !s.ok()) {
    return ToGrpcStatus(s);
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

namespace compliance {

grpc::Status ReportServiceImpl::ExportAssessmentResults(
    grpc::ServerContext* context, const v1::ExportAssessmentResultsRequest* request,
    v1::ExportAssessmentResultsResponse* response) {
  auto caller = auth_.Authorize(*context, MethodOf<v1::ExportAssessmentResultsRequest>().path);
  if (!caller.ok()) return ToGrpcStatus(caller.status());
  if (auto s = CheckReportScope(request->framework(), request->clause()); !s.ok()) {
    return ToGrpcStatus(s);
  }
  const absl::Time now = clock_.Now();
  const absl::Time deadline = DeadlineOf(*context, absl::Minutes(2));
  AssessmentState state{request->framework(), request->clause(), {}, {}, {}};
  auto snapshot = store_.Snapshot(request->framework(), request->clause(), now, deadline);
  if (!snapshot.ok()) return ToGrpcStatus(snapshot.status());
  state.requirements = std::move(snapshot->requirements);
  if (state.requirements.empty()) {
    // An assessment of nothing is no OSCAL document (it needs at least one control).
    return ToGrpcStatus(absl::NotFoundError("no requirement matches framework and clause"));
  }
  std::set<std::string> in_scope;
  for (const auto& status : state.requirements) in_scope.insert(status.requirement.key.Name());

  EvidenceFilter active;
  active.state = EvidenceState::kActive;
  active.include_expired = true;
  std::optional<TimeCursor> evidence_cursor;
  for (bool more = true; more;) {
    auto page = evidence_.List(active, evidence_cursor, 1000, now, deadline, &more);
    if (!page.ok()) return ToGrpcStatus(page.status());
    for (auto& e : *page) {
      evidence_cursor = TimeCursor{e.create_time, e.id};
      const bool relevant =
          std::any_of(e.content.requirements.begin(), e.content.requirements.end(),
                      [&](const auto& key) { return in_scope.count(key.Name()); });
      if (relevant) state.evidence.push_back(std::move(e));
    }
  }
  ActionFilter overdue;
  overdue.overdue_only = true;
  std::optional<TimeCursor> action_cursor;
  for (bool more = true; more;) {
    auto page = actions_.List(overdue, action_cursor, 1000, now, deadline, &more);
    if (!page.ok()) return ToGrpcStatus(page.status());
    for (auto& a : *page) {
      action_cursor = TimeCursor{a.fields.due_time, a.id};
      if (in_scope.count(a.fields.requirement.Name()))
        state.overdue_actions.push_back(std::move(a));
    }
  }
  response->set_document(AssessmentResultsJson(state, now));
  response->set_media_type(kOscalMediaType);
  return grpc::Status::OK;
}

}  // namespace compliance
