#include "app/action_commands.h"

#include "absl/strings/str_cat.h"
#include "domain/etag.h"
#include "store/action_store.h"

namespace compliance {
namespace {

absl::StatusOr<Action> Replay(UnitOfWork& unit, const std::vector<std::string>& ids) {
  return LoadAction(unit, ids.at(0));
}

}  // namespace

absl::StatusOr<std::pair<Action, bool>> ActionCommands::Create(const MutationContext& context,
                                                               const ActionFields& fields,
                                                               const RequestKey& key,
                                                               const AuditFn<Action>& audit) const {
  using Result = std::pair<Action, bool>;
  SingleMutation<Result> mutation;
  mutation.key = key;
  mutation.replay = [](UnitOfWork& unit,
                       const std::vector<std::string>& ids) -> absl::StatusOr<Result> {
    auto action = Replay(unit, ids);
    if (!action.ok()) return action.status();
    return Result{*std::move(action), false};
  };
  mutation.apply = [&](UnitOfWork& unit, Journal& journal) -> absl::StatusOr<Result> {
    if (!RequirementExists(unit, fields.requirement)) {
      return absl::NotFoundError(absl::StrCat("action.requirement: requirement ",
                                              fields.requirement.Name(), " does not exist"));
    }
    Action action = InsertAction(unit, fields);
    journal.audit.push_back(audit(nullptr, action));
    return Result{std::move(action), true};
  };
  mutation.produced = [](const Result& result) {
    return std::vector<std::string>{result.first.id};
  };
  return RunMutation(pool_, context, mutation);
}

absl::StatusOr<Action> ActionCommands::Update(
    const MutationContext& context, const std::string& id, const std::string& request_etag,
    const std::string& resource_etag, const std::function<absl::Status(ActionFields&)>& change,
    const AuditFn<Action>& audit) const {
  SingleMutation<Action> mutation;
  mutation.apply = [&](UnitOfWork& unit, Journal& journal) -> absl::StatusOr<Action> {
    auto current = LockAction(unit, id);
    if (!current.ok()) return current.status();
    if (auto s = CheckEtag(request_etag, resource_etag, ActionEtag(*current)); !s.ok()) return s;
    if (auto s = RequireOpen(*current, "updated"); !s.ok()) return s;
    Action changed = *current;
    if (auto s = change(changed.fields); !s.ok()) return s;
    Action stored = WriteActionFields(unit, changed);
    journal.audit.push_back(audit(&*current, stored));
    return stored;
  };
  return RunMutation(pool_, context, mutation);
}

absl::StatusOr<CompletedAction> ActionCommands::Complete(const MutationContext& context,
                                                         const std::string& id,
                                                         const Completion& completion,
                                                         const RequestKey& key, absl::Time now,
                                                         const AuditFn<Action>& audit) const {
  SingleMutation<CompletedAction> mutation;
  mutation.key = key;
  mutation.replay = [](UnitOfWork& unit,
                       const std::vector<std::string>& ids) -> absl::StatusOr<CompletedAction> {
    CompletedAction result;
    auto action = LoadAction(unit, ids.at(0));
    if (!action.ok()) return action.status();
    result.action = *std::move(action);
    if (ids.size() > 1) {
      auto next = LoadAction(unit, ids[1]);
      if (!next.ok()) return next.status();
      result.next_action = *std::move(next);
    }
    return result;
  };
  mutation.apply = [&](UnitOfWork& unit, Journal& journal) -> absl::StatusOr<CompletedAction> {
    auto current = LockAction(unit, id);
    if (!current.ok()) return current.status();
    if (auto s = CheckEtag(completion.etag, "", ActionEtag(*current)); !s.ok()) return s;
    if (auto s = RequireOpen(*current, "completed"); !s.ok()) return s;
    // Stored times have microseconds; "now" is cut to them, so that the answer reads the same
    // as every later read.
    const absl::Time complete_time =
        completion.complete_time.value_or(absl::FromUnixMicros(absl::ToUnixMicros(now)));
    if (auto s = ValidateCompletion(*current, complete_time, completion.evidence.size(), now);
        !s.ok()) {
      return s;
    }
    if (auto s = CheckCompletionEvidence(completion.evidence,
                                         LockEvidenceStates(unit, completion.evidence));
        !s.ok()) {
      return s;
    }
    CompletedAction result;
    std::optional<std::string> next_id;
    if (current->fields.recurrence) {
      result.next_action = InsertAction(unit, Successor(*current, complete_time));
      next_id = result.next_action->id;
    }
    result.action = WriteCompletion(unit, id, complete_time, completion, next_id);
    journal.audit.push_back(audit(&*current, result.action));
    // The successor is a resource of its own: the feed shows it born, under this call.
    if (result.next_action) journal.audit.push_back(audit(nullptr, *result.next_action));
    return result;
  };
  mutation.produced = [](const CompletedAction& result) {
    std::vector<std::string> ids = {result.action.id};
    if (result.next_action) ids.push_back(result.next_action->id);
    return ids;
  };
  return RunMutation(pool_, context, mutation);
}

absl::StatusOr<Action> ActionCommands::Cancel(const MutationContext& context, const std::string& id,
                                              const std::string& reason, const std::string& etag,
                                              const AuditFn<Action>& audit) const {
  SingleMutation<Action> mutation;
  mutation.apply = [&](UnitOfWork& unit, Journal& journal) -> absl::StatusOr<Action> {
    auto current = LockAction(unit, id);
    if (!current.ok()) return current.status();
    if (auto s = CheckEtag(etag, "", ActionEtag(*current)); !s.ok()) return s;
    if (auto s = RequireOpen(*current, "cancelled"); !s.ok()) return s;
    Action stored = WriteCancellation(unit, id, reason);
    journal.audit.push_back(audit(&*current, stored));
    return stored;
  };
  return RunMutation(pool_, context, mutation);
}

}  // namespace compliance
