#include "api/action_mapping.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "api/proto_time.h"
#include "api/update_mask.h"
#include "domain/errors.h"
#include "domain/evidence.h"
#include "domain/text.h"

namespace compliance {
namespace {

absl::StatusOr<absl::Duration> Recurrence(const google::protobuf::Duration& duration) {
  auto recurrence = FromProto("action.recurrence", duration);
  if (!recurrence.ok()) return recurrence.status();
  return absl::Microseconds(absl::ToInt64Microseconds(*recurrence));
}

}  // namespace

void ToProto(const Action& action, absl::Time now, v1::LeadershipAction* out) {
  const auto& f = action.fields;
  out->set_name(ActionName(action.id));
  out->set_requirement(f.requirement.Name());
  out->set_kind(static_cast<v1::ActionKind>(f.kind));
  out->set_title(f.title);
  out->set_description(f.description);
  out->set_owner(f.owner);
  ToProto(f.due_time, out->mutable_due_time());
  if (f.recurrence) ToProto(*f.recurrence, out->mutable_recurrence());
  out->set_evidence_required(f.evidence_required);
  out->set_state(static_cast<v1::ActionState>(action.state));
  if (action.complete_time) ToProto(*action.complete_time, out->mutable_complete_time());
  for (const auto& id : action.evidence) out->add_evidence(EvidenceName(id));
  out->set_resolution_note(action.resolution_note);
  if (!action.next_action.empty()) out->set_next_action(ActionName(action.next_action));
  out->set_overdue(IsOverdue(action, now));
  ToProto(action.create_time, out->mutable_create_time());
  ToProto(action.update_time, out->mutable_update_time());
  out->set_etag(ActionEtag(action));
}

absl::StatusOr<ActionFields> ParseCreateAction(const v1::CreateActionRequest& request) {
  if (!request.has_action()) return FieldError("action", "is required");
  if (auto s = ValidateRequestId("request_id", request.request_id()); !s.ok()) return s;
  const auto& in = request.action();
  ActionFields fields;
  auto requirement = ParseRequirementName("action.requirement", in.requirement());
  if (!requirement.ok()) return requirement.status();
  fields.requirement = *requirement;
  fields.kind = in.kind();
  fields.title = in.title();
  fields.description = in.description();
  fields.owner = in.owner();
  if (!in.has_due_time()) return FieldError("action.due_time", "is required");
  auto due = StoredTimeFromProto("action.due_time", in.due_time());
  if (!due.ok()) return due.status();
  fields.due_time = *due;
  if (in.has_recurrence()) {
    auto recurrence = Recurrence(in.recurrence());
    if (!recurrence.ok()) return recurrence.status();
    fields.recurrence = *recurrence;
  }
  fields.evidence_required = in.evidence_required();
  if (auto s = ValidateActionFields("action", fields); !s.ok()) return s;
  return fields;
}

absl::StatusOr<std::vector<std::string>> ActionUpdatePaths(const v1::UpdateActionRequest& request) {
  static const std::vector<std::string> kWritable = {
      "title", "description", "owner", "due_time", "recurrence", "evidence_required"};
  return UpdatePaths(request.action(), request.update_mask(), kWritable);
}

absl::Status ApplyActionUpdate(const v1::UpdateActionRequest& request,
                               const std::vector<std::string>& paths, ActionFields& fields) {
  const auto& in = request.action();
  for (const auto& path : paths) {
    if (path == "title") {
      fields.title = in.title();
    } else if (path == "description") {
      fields.description = in.description();
    } else if (path == "owner") {
      fields.owner = in.owner();
    } else if (path == "due_time") {
      if (!in.has_due_time()) return FieldError("action.due_time", "is required");
      auto due = StoredTimeFromProto("action.due_time", in.due_time());
      if (!due.ok()) return due.status();
      fields.due_time = *due;
    } else if (path == "recurrence") {
      fields.recurrence.reset();  // unset in the request: the action stops recurring
      if (in.has_recurrence()) {
        auto recurrence = Recurrence(in.recurrence());
        if (!recurrence.ok()) return recurrence.status();
        fields.recurrence = *recurrence;
      }
    } else if (path == "evidence_required") {
      fields.evidence_required = in.evidence_required();
    }
  }
  return ValidateActionFields("action", fields);
}

absl::StatusOr<Completion> ParseCompleteAction(const v1::CompleteActionRequest& request) {
  Completion completion;
  for (int i = 0; i < request.evidence_size(); ++i) {
    auto id = ParseUuidName(absl::StrCat("evidence[", i, "]"), "evidence", request.evidence(i));
    if (!id.ok()) return id.status();
    if (std::find(completion.evidence.begin(), completion.evidence.end(), *id) !=
        completion.evidence.end()) {
      return FieldError(absl::StrCat("evidence[", i, "]"), "is listed twice");
    }
    completion.evidence.push_back(*id);
  }
  if (completion.evidence.size() > kMaxEvidenceRequirements) {
    return FieldError("evidence", "must list at most 32 records");
  }
  completion.note = request.note();
  if (auto s = CheckText("note", completion.note, 0, 4000); !s.ok()) return s;
  if (request.has_complete_time()) {
    auto time = StoredTimeFromProto("complete_time", request.complete_time());
    if (!time.ok()) return time.status();
    completion.complete_time = *time;
  }
  completion.etag = request.etag();
  if (auto s = ValidateRequestId("request_id", request.request_id()); !s.ok()) return s;
  return completion;
}

}  // namespace compliance
