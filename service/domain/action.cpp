#include "domain/action.h"

#include "absl/strings/str_cat.h"
#include "domain/clock.h"
#include "domain/errors.h"
#include "domain/text.h"

namespace compliance {
namespace {

constexpr size_t kMaxTitle = 200;
constexpr size_t kMaxDescription = 4000;
constexpr size_t kMaxOwner = 256;

const char* StateWord(ActionState state) {
  switch (state) {
    case ActionState::kOpen:
      return "OPEN";
    case ActionState::kCompleted:
      return "COMPLETED";
    case ActionState::kCancelled:
      return "CANCELLED";
    default:
      return "UNSPECIFIED";
  }
}

}  // namespace

std::string ActionName(const std::string& id) { return absl::StrCat("actions/", id); }

bool IsOverdue(const Action& action, absl::Time now) {
  return action.state == ActionState::kOpen && action.fields.due_time < now;
}

std::string ActionEtag(const Action& action) { return absl::StrCat("a", action.version); }

absl::Status ValidateActionFields(const std::string& prefix, const ActionFields& fields) {
  const auto field = [&](absl::string_view name) { return absl::StrCat(prefix, ".", name); };
  if (fields.kind < 1 || fields.kind > kMaxActionKind) {
    return FieldError(field("kind"), fields.kind == 0 ? "is required (not ACTION_KIND_UNSPECIFIED)"
                                                      : "is not a known ActionKind value");
  }
  if (auto s = CheckText(field("title"), fields.title, 1, kMaxTitle); !s.ok()) return s;
  if (auto s = CheckText(field("description"), fields.description, 0, kMaxDescription); !s.ok()) {
    return s;
  }
  if (fields.owner.empty()) return FieldError(field("owner"), "is required");
  if (auto s = CheckText(field("owner"), fields.owner, 1, kMaxOwner); !s.ok()) return s;
  if (fields.recurrence &&
      (*fields.recurrence < kMinRecurrence || *fields.recurrence > kMaxRecurrence)) {
    return FieldError(field("recurrence"), "must be between 1 day and 3650 days");
  }
  return absl::OkStatus();
}

absl::Status RequireOpen(const Action& action, const std::string& verb) {
  if (action.state == ActionState::kOpen) return absl::OkStatus();
  return absl::FailedPreconditionError(absl::StrCat(
      ActionName(action.id), " is ", StateWord(action.state), "; only OPEN actions can be ", verb));
}

absl::Status ValidateCompletion(const Action& action, absl::Time complete_time,
                                size_t evidence_count, absl::Time now) {
  if (complete_time > now + kClockSkew) {
    return FieldError("complete_time", "must not be in the future");
  }
  if (complete_time < action.create_time) {
    return FieldError("complete_time", "must not be before the action was created");
  }
  if (action.fields.evidence_required && evidence_count == 0) {
    return absl::FailedPreconditionError(
        absl::StrCat("evidence: ", ActionName(action.id),
                     " requires evidence; attach at least one ACTIVE record"));
  }
  return absl::OkStatus();
}

absl::Status CheckCompletionEvidence(const std::vector<std::string>& ids,
                                     const std::map<std::string, EvidenceState>& states) {
  for (size_t i = 0; i < ids.size(); ++i) {
    auto it = states.find(ids[i]);
    if (it == states.end()) {
      return absl::NotFoundError(
          absl::StrCat("evidence[", i, "]: evidence/", ids[i], " does not exist"));
    }
    if (it->second != EvidenceState::kActive) {
      return absl::FailedPreconditionError(
          absl::StrCat("evidence[", i, "]: evidence/", ids[i],
                       " is no longer ACTIVE (superseded or withdrawn)"));
    }
  }
  return absl::OkStatus();
}

ActionFields Successor(const Action& completed, absl::Time complete_time) {
  ActionFields next = completed.fields;
  next.due_time = complete_time + completed.fields.recurrence.value_or(absl::ZeroDuration());
  return next;
}

}  // namespace compliance
