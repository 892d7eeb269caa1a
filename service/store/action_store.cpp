#include "store/action_store.h"

#include <nlohmann/json.hpp>

#include "absl/strings/str_cat.h"
#include "store/action_sql.h"
#include "store/transaction.h"
#include "store/unit_of_work_sql.h"

namespace compliance {
namespace {

namespace sql = action_sql;
using nlohmann::json;

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

std::optional<int64_t> RecurrenceMicros(const ActionFields& fields) {
  if (!fields.recurrence) return std::nullopt;
  return absl::ToInt64Microseconds(*fields.recurrence);
}

absl::StatusOr<Action> Select(pqxx::transaction_base& work, const std::string& id,
                              bool for_update) {
  const auto rows = work.exec_prepared(for_update ? sql::kSelectForUpdate : sql::kSelect, id);
  if (rows.empty()) return absl::NotFoundError(absl::StrCat(ActionName(id), " does not exist"));
  return ReadAction(rows[0]);
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

absl::StatusOr<Action> LoadAction(UnitOfWork& unit, const std::string& id) {
  return Select(unit.work(), id, false);
}

absl::StatusOr<Action> LockAction(UnitOfWork& unit, const std::string& id) {
  return Select(unit.work(), id, true);
}

bool RequirementExists(UnitOfWork& unit, const RequirementKey& key) {
  return !unit.work().exec_prepared(sql::kRequirementExists, key.framework, key.id).empty();
}

Action InsertAction(UnitOfWork& unit, const ActionFields& f) {
  return ReadAction(unit.work().exec_prepared1(
      sql::kInsert, f.requirement.framework, f.requirement.id, f.kind, f.title, f.description,
      f.owner, absl::ToUnixMicros(f.due_time), RecurrenceMicros(f), f.evidence_required));
}

Action WriteActionFields(UnitOfWork& unit, const Action& action) {
  const auto& f = action.fields;
  return ReadAction(unit.work().exec_prepared1(
      sql::kUpdateFields, action.id, f.title, f.description, f.owner,
      absl::ToUnixMicros(f.due_time), RecurrenceMicros(f), f.evidence_required));
}

std::map<std::string, EvidenceState> LockEvidenceStates(UnitOfWork& unit,
                                                        const std::vector<std::string>& ids) {
  std::map<std::string, EvidenceState> states;
  if (ids.empty()) return states;
  for (const auto& row : unit.work().exec_prepared(sql::kEvidenceStates, json(ids).dump())) {
    states[row[0].as<std::string>()] = static_cast<EvidenceState>(row[1].as<int>());
  }
  return states;
}

Action WriteCompletion(UnitOfWork& unit, const std::string& id, absl::Time complete_time,
                       const Completion& completion, const std::optional<std::string>& next_id) {
  // Attached first: the completion's row, returned below, lists them.
  if (!completion.evidence.empty()) {
    unit.work().exec_prepared0(sql::kAttachEvidence, id, json(completion.evidence).dump());
  }
  return ReadAction(unit.work().exec_prepared1(
      sql::kComplete, id, absl::ToUnixMicros(complete_time), completion.note, next_id));
}

Action WriteCancellation(UnitOfWork& unit, const std::string& id, const std::string& reason) {
  return ReadAction(unit.work().exec_prepared1(sql::kCancel, id, reason));
}

}  // namespace compliance
