#include "store/action_store.h"

#include <map>
#include <nlohmann/json.hpp>

#include "absl/strings/str_cat.h"
#include "domain/etag.h"
#include "store/action_sql.h"
#include "store/idempotency_store.h"
#include "store/transaction.h"

namespace compliance {
namespace {

namespace sql = action_sql;
using nlohmann::json;

constexpr char kCreateMethod[] = "CreateAction";
constexpr char kCompleteMethod[] = "CompleteAction";

Action ReadAction(const pqxx::row& row) {
  Action a;
  a.id = row[0].as<std::string>();
  auto& f = a.fields;
  f.requirement = {row[1].as<std::string>(), row[2].as<std::string>()};
  f.kind = row[3].as<int>();
  f.title = row[4].as<std::string>();
  f.description = row[5].as<std::string>();
  f.owner = row[6].as<std::string>();
  f.due_time = absl::FromUnixMicros(row[7].as<int64_t>());
  if (!row[8].is_null()) f.recurrence = absl::Microseconds(row[8].as<int64_t>());
  f.evidence_required = row[9].as<bool>();
  a.state = static_cast<ActionState>(row[10].as<int>());
  if (!row[11].is_null()) a.complete_time = absl::FromUnixMicros(row[11].as<int64_t>());
  a.resolution_note = row[12].as<std::string>();
  a.next_action = row[13].as<std::string>();
  a.create_time = absl::FromUnixMicros(row[14].as<int64_t>());
  a.update_time = absl::FromUnixMicros(row[15].as<int64_t>());
  a.version = row[16].as<int64_t>();
  if (!row[17].is_null()) {
    a.evidence = json::parse(row[17].as<std::string>()).get<std::vector<std::string>>();
  }
  return a;
}

absl::Status NotFound(const std::string& id) {
  return absl::NotFoundError(absl::StrCat(ActionName(id), " does not exist"));
}

std::optional<int64_t> RecurrenceMicros(const ActionFields& fields) {
  if (!fields.recurrence) return std::nullopt;
  return absl::ToInt64Microseconds(*fields.recurrence);
}

std::string Insert(pqxx::work& work, const ActionFields& f) {
  return work
      .exec_prepared1(sql::kInsert, f.requirement.framework, f.requirement.id, f.kind, f.title,
                      f.description, f.owner, absl::ToUnixMicros(f.due_time), RecurrenceMicros(f),
                      f.evidence_required)[0]
      .as<std::string>();
}

absl::StatusOr<Action> Select(pqxx::transaction_base& work, const std::string& id,
                              bool for_update) {
  const auto rows = work.exec_prepared(for_update ? sql::kSelectForUpdate : sql::kSelect, id);
  if (rows.empty()) return NotFound(id);
  return ReadAction(rows[0]);
}

// Every named evidence record must exist (NOT_FOUND) and be ACTIVE (FAILED_PRECONDITION).
absl::Status CheckEvidence(pqxx::work& work, const std::vector<std::string>& ids) {
  if (ids.empty()) return absl::OkStatus();
  std::map<std::string, int> states;
  for (const auto& row : work.exec_prepared(sql::kEvidenceStates, json(ids).dump())) {
    states[row[0].as<std::string>()] = row[1].as<int>();
  }
  for (size_t i = 0; i < ids.size(); ++i) {
    auto it = states.find(ids[i]);
    if (it == states.end()) {
      return absl::NotFoundError(
          absl::StrCat("evidence[", i, "]: evidence/", ids[i], " does not exist"));
    }
    if (it->second != 1) {
      return absl::FailedPreconditionError(
          absl::StrCat("evidence[", i, "]: evidence/", ids[i],
                       " is no longer ACTIVE (superseded or withdrawn)"));
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<CompletedAction> CompleteInTransaction(pqxx::work& work, const std::string& id,
                                                      const Completion& completion,
                                                      const std::string& actor, absl::Time now,
                                                      const AuditFn<Action>& audit) {
  if (!completion.request_id.empty()) {
    auto earlier = ClaimRequestId(work, kCompleteMethod, actor, completion.request_id,
                                  completion.request_hash, "request_id");
    if (!earlier.ok()) return earlier.status();
    if (*earlier) {
      CompletedAction result;
      auto action = Select(work, (**earlier)[0], false);
      if (!action.ok()) return action.status();
      result.action = *action;
      if ((*earlier)->size() > 1) {
        auto next = Select(work, (**earlier)[1], false);
        if (!next.ok()) return next.status();
        result.next_action = *next;
      }
      return result;
    }
  }
  auto action = Select(work, id, true);
  if (!action.ok()) return action.status();
  if (auto s = CheckEtag(completion.etag, "", ActionEtag(*action)); !s.ok()) return s;
  if (auto s = RequireOpen(*action, "completed"); !s.ok()) return s;
  const absl::Time complete_time =
      completion.complete_time.value_or(absl::FromUnixMicros(absl::ToUnixMicros(now)));
  if (auto s = ValidateCompletion(*action, complete_time, completion.evidence.size(), now);
      !s.ok()) {
    return s;
  }
  if (auto s = CheckEvidence(work, completion.evidence); !s.ok()) return s;

  std::optional<std::string> next_id;
  if (action->fields.recurrence) next_id = Insert(work, Successor(*action, complete_time));
  work.exec_prepared0(sql::kComplete, id, absl::ToUnixMicros(complete_time), completion.note,
                      next_id);
  if (!completion.evidence.empty()) {
    work.exec_prepared0(sql::kAttachEvidence, id, json(completion.evidence).dump());
  }
  std::vector<std::string> produced = {id};
  if (next_id) produced.push_back(*next_id);
  if (!completion.request_id.empty()) {
    RecordRequestResult(work, kCompleteMethod, actor, completion.request_id, produced);
  }
  CompletedAction result;
  auto done = Select(work, id, false);
  if (!done.ok()) return done.status();
  result.action = *done;
  if (audit) AppendAuditEntries(work, {audit(&*action, *done)});
  if (next_id) {
    auto next = Select(work, *next_id, false);
    if (!next.ok()) return next.status();
    result.next_action = *next;
  }
  return result;
}

}  // namespace

void ActionStore::Prepare(pqxx::connection& connection) {
  const std::pair<const char*, const char*> statements[] = {
      {sql::kRequirementExists, sql::kRequirementExistsSql},
      {sql::kInsert, sql::kInsertSql},
      {sql::kSelect, sql::kSelectSql},
      {sql::kSelectForUpdate, sql::kSelectForUpdateSql},
      {sql::kUpdateFields, sql::kUpdateFieldsSql},
      {sql::kComplete, sql::kCompleteSql},
      {sql::kCancel, sql::kCancelSql},
      {sql::kEvidenceStates, sql::kEvidenceStatesSql},
      {sql::kAttachEvidence, sql::kAttachEvidenceSql},
      {sql::kList, sql::kListSql},
  };
  for (const auto& [name, text] : statements) connection.prepare(name, text);
}

absl::StatusOr<std::pair<Action, bool>> ActionStore::Create(
    const ActionFields& fields, const std::string& request_id, const std::string& request_hash,
    const std::string& actor, absl::Time deadline, const AuditFn<Action>& audit) {
  using Result = std::pair<Action, bool>;
  return RunTransaction<Result>(pool_, deadline, [&](pqxx::work& work) -> absl::StatusOr<Result> {
    if (!request_id.empty()) {
      auto earlier =
          ClaimRequestId(work, kCreateMethod, actor, request_id, request_hash, "request_id");
      if (!earlier.ok()) return earlier.status();
      if (*earlier) {
        auto action = Select(work, (**earlier)[0], false);
        if (!action.ok()) return action.status();
        return Result{*action, false};
      }
    }
    if (work.exec_prepared(sql::kRequirementExists, fields.requirement.framework,
                           fields.requirement.id)
            .empty()) {
      return absl::NotFoundError(absl::StrCat("action.requirement: requirement ",
                                              fields.requirement.Name(), " does not exist"));
    }
    const std::string id = Insert(work, fields);
    if (!request_id.empty()) RecordRequestResult(work, kCreateMethod, actor, request_id, {id});
    auto action = Select(work, id, false);
    if (!action.ok()) return action.status();
    if (audit) AppendAuditEntries(work, {audit(nullptr, *action)});
    return Result{*action, true};
  });
}

absl::StatusOr<Action> ActionStore::Get(const std::string& id, absl::Time deadline) {
  return RunRead(pool_, deadline,
                 [&](pqxx::transaction_base& work) { return Select(work, id, false); });
}

absl::StatusOr<std::vector<Action>> ActionStore::List(const ActionFilter& filter,
                                                      const std::optional<TimeCursor>& after,
                                                      int limit, absl::Time now,
                                                      absl::Time deadline, bool* more) {
  return RunRead(
      pool_, deadline, [&](pqxx::transaction_base& work) -> absl::StatusOr<std::vector<Action>> {
        std::optional<int64_t> after_us;
        std::optional<std::string> after_id;
        if (after) {
          after_us = absl::ToUnixMicros(after->time);
          after_id = after->id;
        }
        const auto rows =
            work.exec_prepared(sql::kList, filter.requirement ? filter.requirement->framework : "",
                               filter.requirement ? filter.requirement->id : "",
                               static_cast<int>(filter.state), filter.overdue_only, filter.owner,
                               absl::ToUnixMicros(now), after_us, after_id, limit + 1);
        std::vector<Action> page;
        *more = static_cast<int>(rows.size()) > limit;
        for (const auto& row : rows) {
          if (static_cast<int>(page.size()) == limit) break;
          page.push_back(ReadAction(row));
        }
        return page;
      });
}

absl::StatusOr<Action> ActionStore::Update(const std::string& id,
                                           const std::function<absl::Status(Action&)>& change,
                                           absl::Time deadline, const AuditFn<Action>& audit) {
  return RunTransaction<Action>(pool_, deadline, [&](pqxx::work& work) -> absl::StatusOr<Action> {
    auto action = Select(work, id, true);
    if (!action.ok()) return action.status();
    const Action before = *action;
    if (auto s = change(*action); !s.ok()) return s;
    const auto& f = action->fields;
    work.exec_prepared0(sql::kUpdateFields, id, f.title, f.description, f.owner,
                        absl::ToUnixMicros(f.due_time), RecurrenceMicros(f), f.evidence_required);
    auto after = Select(work, id, false);
    if (after.ok() && audit) AppendAuditEntries(work, {audit(&before, *after)});
    return after;
  });
}

absl::StatusOr<CompletedAction> ActionStore::Complete(const std::string& id,
                                                      const Completion& completion,
                                                      const std::string& actor, absl::Time now,
                                                      absl::Time deadline,
                                                      const AuditFn<Action>& audit) {
  return RunTransaction<CompletedAction>(pool_, deadline, [&](pqxx::work& work) {
    return CompleteInTransaction(work, id, completion, actor, now, audit);
  });
}

absl::StatusOr<Action> ActionStore::Cancel(const std::string& id, const std::string& reason,
                                           const std::string& etag, absl::Time deadline,
                                           const AuditFn<Action>& audit) {
  return RunTransaction<Action>(pool_, deadline, [&](pqxx::work& work) -> absl::StatusOr<Action> {
    auto action = Select(work, id, true);
    if (!action.ok()) return action.status();
    if (auto s = CheckEtag(etag, "", ActionEtag(*action)); !s.ok()) return s;
    if (auto s = RequireOpen(*action, "cancelled"); !s.ok()) return s;
    work.exec_prepared0(sql::kCancel, id, reason);
    auto after = Select(work, id, false);
    if (after.ok() && audit) AppendAuditEntries(work, {audit(&*action, *after)});
    return after;
  });
}

}  // namespace compliance
