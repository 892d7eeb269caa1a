#include "store/evidence_store.h"

#include <map>
#include <nlohmann/json.hpp>

#include "absl/strings/str_cat.h"
#include "store/audit_store.h"
#include "store/evidence_copy.h"
#include "store/evidence_sql.h"
#include "store/json_rows.h"
#include "store/transaction.h"
#include "store/unit_of_work_sql.h"

namespace compliance {
namespace {

namespace sql = evidence_sql;
using nlohmann::json;

std::string Dump(const json& value) {
  return value.dump(-1, ' ', false, json::error_handler_t::strict);
}

Evidence ReadEvidence(const pqxx::row& row) {
  Evidence e;
  e.id = row[0].as<std::string>();
  auto& c = e.content;
  c.kind = row[1].as<int>();
  c.title = row[2].as<std::string>();
  c.description = row[3].as<std::string>();
  c.uri = row[4].as<std::string>();
  c.sha256 = row[5].as<std::string>();
  c.source = row[6].as<std::string>();
  c.external_id = row[7].as<std::string>();
  c.collect_time = absl::FromUnixMicros(row[8].as<int64_t>());
  if (!row[9].is_null()) c.expire_time = absl::FromUnixMicros(row[9].as<int64_t>());
  const json labels = json::parse(row[10].as<std::string>());
  for (auto it = labels.begin(); it != labels.end(); ++it) {
    c.labels[it.key()] = it.value().get<std::string>();
  }
  e.state = static_cast<EvidenceState>(row[11].as<int>());
  e.supersedes = row[12].as<std::string>();
  e.superseded_by = row[13].as<std::string>();
  e.withdraw_reason = row[14].as<std::string>();
  e.submitter = row[15].as<std::string>();
  e.create_time = absl::FromUnixMicros(row[16].as<int64_t>());
  e.version = row[17].as<int64_t>();
  if (!row[18].is_null()) {
    for (const auto& pair : json::parse(row[18].as<std::string>())) {
      c.requirements.push_back({pair[0].get<std::string>(), pair[1].get<std::string>()});
    }
  }
  return e;
}

StoredRecord ReadStored(const pqxx::row& row) {
  return StoredRecord{row[0].as<std::string>(), row[1].as<std::string>(), row[2].as<std::string>(),
                      row[3].as<std::string>(), static_cast<EvidenceState>(row[4].as<int>())};
}

absl::Status NotFound(const std::string& id) {
  return absl::NotFoundError(absl::StrCat("evidence/", id, " does not exist"));
}

void AddRecord(JsonRows& records, const NewEvidence& request, const std::string& id,
               const std::optional<std::string>& supersedes) {
  const auto& c = request.content;
  records.Row();
  records.String("id", id);
  records.Number("kind", c.kind);
  records.String("title", c.title);
  records.String("description", c.description);
  records.String("uri", c.uri);
  records.String("sha256", c.sha256);
  records.String("source", c.source);
  records.String("external_id", c.external_id);
  records.Number("collect_us", absl::ToUnixMicros(c.collect_time));
  records.Raw("labels", LabelsJson(c));
  records.String("hash", ContentHash(c));
  if (c.expire_time) records.Number("expire_us", absl::ToUnixMicros(*c.expire_time));
  if (supersedes) records.String("supersedes", *supersedes);
}

// The records, their links and the journal in one statement (sql::kWrite): one round trip.
void WriteInOneStatement(pqxx::dbtransaction& work, const std::vector<RecordToInsert>& records,
                         Journal& journal) {
  JsonRows record_rows, links;
  for (const auto& record : records) {
    AddRecord(record_rows, *record.request, record.id, record.supersedes);
    const auto& requirements = record.request->content.requirements;
    for (size_t j = 0; j < requirements.size(); ++j) {
      links.Row();
      links.String("id", record.id);
      links.String("framework", requirements[j].framework);
      links.String("requirement", requirements[j].id);
      links.Number("ordinal", static_cast<int64_t>(j));
    }
  }
  work.exec_prepared(sql::kWrite, record_rows.Finish(), journal.actor, links.Finish(),
                     journal.method, RequestResultsJson(journal.results),
                     AuditRowsJson(journal.audit));
  journal.results.clear();
  journal.audit.clear();
}

absl::StatusOr<std::map<std::string, Evidence>> SelectByIds(pqxx::transaction_base& work,
                                                            const std::vector<std::string>& ids) {
  std::map<std::string, Evidence> found;
  for (const auto& row : work.exec_prepared(sql::kSelectByIds, Dump(json(ids)))) {
    Evidence evidence = ReadEvidence(row);
    found.emplace(evidence.id, std::move(evidence));
  }
  return found;
}

}  // namespace

void EvidenceStore::Prepare(pqxx::connection& connection) {
  const std::pair<const char*, const char*> statements[] = {
      {sql::kLockExternalKeys, sql::kLockExternalKeysSql},
      {sql::kActiveByExternal, sql::kActiveByExternalSql},
      {sql::kTargets, sql::kTargetsSql},
      {sql::kWrite, sql::kWriteSql},
      {sql::kSupersede, sql::kSupersedeSql},
      {sql::kSelectByIds, sql::kSelectByIdsSql},
      {sql::kSelectForUpdate, sql::kSelectForUpdateSql},
      {sql::kWithdraw, sql::kWithdrawSql},
      {sql::kList, sql::kListSql},
  };
  for (const auto& [name, text] : statements) connection.prepare(name, text);
  RequirementCatalog::Prepare(connection);
}

absl::StatusOr<Evidence> EvidenceStore::Get(const std::string& id, absl::Time deadline) {
  return RunRead(pool_, deadline, [&](pqxx::transaction_base& work) -> absl::StatusOr<Evidence> {
    auto found = SelectByIds(work, {id});
    if (!found.ok()) return found.status();
    if (found->empty()) return NotFound(id);
    return found->begin()->second;
  });
}

absl::StatusOr<std::vector<Evidence>> EvidenceStore::List(const EvidenceFilter& filter,
                                                          const std::optional<TimeCursor>& after,
                                                          int limit, absl::Time now,
                                                          absl::Time deadline, bool* more) {
  return RunRead(pool_, deadline,
                 [&](pqxx::transaction_base& work) -> absl::StatusOr<std::vector<Evidence>> {
                   std::optional<int64_t> after_us;
                   std::optional<std::string> after_id;
                   if (after) {
                     after_us = absl::ToUnixMicros(after->time);
                     after_id = after->id;
                   }
                   const auto rows = work.exec_prepared(
                       sql::kList, filter.requirement ? filter.requirement->framework : "",
                       filter.requirement ? filter.requirement->id : "", filter.kind, filter.source,
                       static_cast<int>(filter.state), filter.include_expired,
                       absl::ToUnixMicros(now), after_us, after_id, limit + 1);
                   std::vector<Evidence> page;
                   *more = static_cast<int>(rows.size()) > limit;
                   for (const auto& row : rows) {
                     if (static_cast<int>(page.size()) == limit) break;
                     page.push_back(ReadEvidence(row));
                   }
                   return page;
                 });
}

std::optional<RequirementKey> EvidenceStore::MissingRequirement(
    UnitOfWork& unit, const std::vector<RequirementKey>& keys) {
  if (catalog_.AllExist(unit.work(), keys)) return std::nullopt;
  for (const auto& key : keys) {
    if (!catalog_.Exists(key)) return key;
  }
  return std::nullopt;
}

Collisions EvidenceStore::LockCollisions(UnitOfWork& unit,
                                         const std::vector<NewEvidence>& requests) {
  pqxx::dbtransaction& work = unit.work();
  JsonRows keys;
  json targets = json::array();
  for (const auto& request : requests) {
    const auto& c = request.content;
    if (!c.external_id.empty()) {
      keys.Row();
      keys.String("source", c.source);
      keys.String("external_id", c.external_id);
    }
    if (request.supersedes) targets.push_back(*request.supersedes);
  }
  Collisions found;
  if (!keys.empty()) {
    const std::string key_rows = keys.Finish();
    if (Contended(unit)) work.exec_prepared(sql::kLockExternalKeys, key_rows);
    for (const auto& row : work.exec_prepared(sql::kActiveByExternal, key_rows)) {
      found.active.push_back(ReadStored(row));
    }
  }
  if (!targets.empty()) {
    for (const auto& row : work.exec_prepared(sql::kTargets, Dump(targets))) {
      StoredRecord record = ReadStored(row);
      found.targets.emplace(record.id, std::move(record));
    }
  }
  return found;
}

absl::Status EvidenceStore::WriteCreates(
    UnitOfWork& unit, const std::vector<RecordToInsert>& records,
    const std::vector<std::pair<std::string, std::string>>& superseded, Journal& journal) {
  pqxx::dbtransaction& work = unit.work();
  JsonRows supersede_rows;
  for (const auto& [id, by] : superseded) {
    supersede_rows.Row();
    supersede_rows.String("id", id);
    supersede_rows.String("by", by);
  }
  // Supersede first: the partial unique index allows one ACTIVE record per external key.
  if (!supersede_rows.empty()) work.exec_prepared(sql::kSupersede, supersede_rows.Finish());
  if (records.empty() && journal.results.empty() && journal.audit.empty()) {
    return absl::OkStatus();
  }
  try {
    if (records.size() >= kCopyRecordsFrom) {
      CopyEvidenceRecords(work, records, journal.actor);
      CopyAuditEntries(work, journal.audit);
      journal.audit.clear();
      WriteJournal(unit, journal);  // the request_ids' results
    } else {
      WriteInOneStatement(work, records, journal);
    }
  } catch (const pqxx::unique_violation& e) {
    // A concurrent writer of one of these keys committed first: running again finds its
    // record, to deduplicate or supersede it.
    if (std::string(e.what()).find(sql::kConflict) == std::string::npos) throw;
    return WriteConflict(e.what());
  }
  return absl::OkStatus();
}

std::map<std::string, Evidence> EvidenceStore::Load(UnitOfWork& unit,
                                                    const std::vector<std::string>& ids) {
  if (ids.empty()) return {};
  return *SelectByIds(unit.work(), ids);
}

absl::StatusOr<Evidence> EvidenceStore::Lock(UnitOfWork& unit, const std::string& id) {
  const auto rows = unit.work().exec_prepared(sql::kSelectForUpdate, id);
  if (rows.empty()) return NotFound(id);
  return ReadEvidence(rows[0]);
}

void EvidenceStore::WriteWithdrawal(UnitOfWork& unit, const std::string& id,
                                    const std::string& reason) {
  unit.work().exec_prepared0(sql::kWithdraw, id, reason);
}

}  // namespace compliance
