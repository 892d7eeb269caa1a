#include "store/evidence_store.h"

#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "absl/strings/str_cat.h"
#include "domain/evidence_plan.h"
#include "store/evidence_sql.h"
#include "store/transaction.h"

namespace compliance {
namespace {

namespace sql = evidence_sql;
using nlohmann::json;

constexpr char kCreateMethod[] = "CreateEvidence";

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

absl::Status CheckRequirementsExist(pqxx::work& work, const std::vector<NewEvidence>& requests,
                                    bool batch) {
  std::set<std::pair<std::string, std::string>> known;
  for (const auto& row : work.exec_prepared(sql::kRequirementKeys)) {
    known.emplace(row[0].as<std::string>(), row[1].as<std::string>());
  }
  for (size_t i = 0; i < requests.size(); ++i) {
    const auto& requirements = requests[i].content.requirements;
    for (size_t j = 0; j < requirements.size(); ++j) {
      if (known.count({requirements[j].framework, requirements[j].id}) == 0) {
        return absl::NotFoundError(absl::StrCat(ItemPath(batch, i), "evidence.requirements[", j,
                                                "]: requirement ", requirements[j].Name(),
                                                " does not exist"));
      }
    }
  }
  return absl::OkStatus();
}

// Claims the request_ids not seen before; for the others, returns the record each produced.
// A request_id seen with other content is ALREADY_EXISTS.
absl::StatusOr<std::map<size_t, std::string>> ResolveRequestIds(
    pqxx::work& work, const std::vector<NewEvidence>& requests, bool batch,
    const std::string& actor) {
  json claims = json::array();
  json ids = json::array();
  std::map<std::string, size_t> index_of;
  for (size_t i = 0; i < requests.size(); ++i) {
    if (requests[i].request_id.empty()) continue;
    claims.push_back({{"request_id", requests[i].request_id}, {"hash", RequestHash(requests[i])}});
    ids.push_back(requests[i].request_id);
    index_of[requests[i].request_id] = i;
  }
  std::map<size_t, std::string> repeated;
  if (claims.empty()) return repeated;
  std::set<std::string> claimed;
  for (const auto& row : work.exec_prepared(sql::kClaimKeys, kCreateMethod, actor, Dump(claims))) {
    claimed.insert(row[0].as<std::string>());
  }
  if (claimed.size() == claims.size()) return repeated;
  for (const auto& row : work.exec_prepared(sql::kKnownKeys, kCreateMethod, actor, Dump(ids))) {
    const std::string request_id = row[0].as<std::string>();
    if (claimed.count(request_id) > 0) continue;
    const size_t i = index_of.at(request_id);
    const json results = json::parse(row[2].as<std::string>());
    if (row[1].as<std::string>() != RequestHash(requests[i]) || results.empty()) {
      return absl::AlreadyExistsError(absl::StrCat(ItemPath(batch, i), "request_id: \"", request_id,
                                                   "\" was already used for a different request"));
    }
    repeated[i] = results[0].get<std::string>();
  }
  return repeated;
}

json RecordJson(const NewEvidence& request, const std::string& id,
                const std::optional<std::string>& supersedes) {
  const auto& c = request.content;
  json labels = json::object();
  for (const auto& [key, value] : c.labels) labels[key] = value;
  json record = {{"id", id},
                 {"kind", c.kind},
                 {"title", c.title},
                 {"description", c.description},
                 {"uri", c.uri},
                 {"sha256", c.sha256},
                 {"source", c.source},
                 {"external_id", c.external_id},
                 {"collect_us", absl::ToUnixMicros(c.collect_time)},
                 {"labels", labels},
                 {"hash", ContentHash(c)}};
  if (c.expire_time) record["expire_us"] = absl::ToUnixMicros(*c.expire_time);
  if (supersedes) record["supersedes"] = *supersedes;
  return record;
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

absl::StatusOr<std::vector<CreatedEvidence>> CreateInTransaction(
    pqxx::work& work, const std::vector<NewEvidence>& requests, bool batch,
    const std::string& actor, const AuditFn<Evidence>& audit,
    const std::vector<std::string>& sources) {
  if (auto status = CheckRequirementsExist(work, requests, batch); !status.ok()) return status;
  auto repeated = ResolveRequestIds(work, requests, batch, actor);
  if (!repeated.ok()) return repeated.status();

  // The rest: lock their keys, read what they may collide with, decide.
  std::vector<NewEvidence> fresh;
  std::vector<size_t> fresh_index;
  json keys = json::array();
  json targets = json::array();
  for (size_t i = 0; i < requests.size(); ++i) {
    if (repeated->count(i) > 0) continue;
    fresh.push_back(requests[i]);
    fresh_index.push_back(i);
    const auto& c = requests[i].content;
    if (!c.external_id.empty())
      keys.push_back({{"source", c.source}, {"external_id", c.external_id}});
    if (requests[i].supersedes) targets.push_back(*requests[i].supersedes);
  }
  std::vector<StoredRecord> active;
  if (!keys.empty()) {
    work.exec_prepared(sql::kLockExternalKeys, Dump(keys));
    for (const auto& row : work.exec_prepared(sql::kActiveByExternal, Dump(keys))) {
      active.push_back(ReadStored(row));
    }
  }
  std::map<std::string, StoredRecord> target_records;
  if (!targets.empty()) {
    for (const auto& row : work.exec_prepared(sql::kTargets, Dump(targets))) {
      StoredRecord record = ReadStored(row);
      target_records.emplace(record.id, std::move(record));
    }
  }
  if (!sources.empty()) {
    for (size_t k = 0; k < fresh.size(); ++k) {
      if (!fresh[k].supersedes) continue;
      auto target = target_records.find(*fresh[k].supersedes);
      if (target != target_records.end() &&
          std::find(sources.begin(), sources.end(), target->second.source) == sources.end()) {
        return absl::PermissionDeniedError(absl::StrCat(
            ItemPath(batch, fresh_index[k]), "evidence.supersedes: this token may not retire ",
            "evidence of source \"", target->second.source, "\""));
      }
    }
  }
  auto decisions = PlanCreates(fresh, fresh_index, batch, active, target_records);
  if (!decisions.ok()) return decisions.status();

  std::vector<std::string> result_ids(requests.size());
  for (const auto& [i, id] : *repeated) result_ids[i] = id;
  size_t inserts = 0;
  for (const auto& decision : *decisions) inserts += decision.existing_id ? 0 : 1;
  std::vector<std::string> new_ids;
  if (inserts > 0) {
    for (const auto& row : work.exec_prepared(sql::kNewIds, static_cast<int>(inserts))) {
      new_ids.push_back(row[0].as<std::string>());
    }
  }
  json records = json::array(), links = json::array(), superseded = json::array(),
       results = json::array();
  size_t next_new = 0;
  for (size_t k = 0; k < fresh.size(); ++k) {
    const auto& decision = (*decisions)[k];
    const size_t i = fresh_index[k];
    if (decision.existing_id) {
      result_ids[i] = *decision.existing_id;
    } else {
      const std::string& id = new_ids[next_new++];
      result_ids[i] = id;
      records.push_back(RecordJson(fresh[k], id, decision.supersedes));
      const auto& requirements = fresh[k].content.requirements;
      for (size_t j = 0; j < requirements.size(); ++j) {
        links.push_back({{"id", id},
                         {"framework", requirements[j].framework},
                         {"requirement", requirements[j].id},
                         {"ordinal", j}});
      }
      if (decision.supersedes) superseded.push_back({{"id", *decision.supersedes}, {"by", id}});
    }
    if (!fresh[k].request_id.empty()) {
      results.push_back({{"request_id", fresh[k].request_id}, {"id", result_ids[i]}});
    }
  }
  // Supersede first: the partial unique index allows one ACTIVE record per external key.
  if (!superseded.empty()) work.exec_prepared(sql::kSupersede, Dump(superseded));
  if (!records.empty()) {
    work.exec_prepared(sql::kInsert, Dump(records), actor);
    work.exec_prepared(sql::kInsertLinks, Dump(links));
  }
  if (!results.empty())
    work.exec_prepared(sql::kRecordResults, kCreateMethod, actor, Dump(results));

  auto stored = SelectByIds(work, result_ids);
  if (!stored.ok()) return stored.status();
  std::vector<CreatedEvidence> created;
  std::vector<AuditEntry> entries;
  const std::set<std::string> inserted_ids(new_ids.begin(), new_ids.end());
  for (size_t i = 0; i < requests.size(); ++i) {
    auto it = stored->find(result_ids[i]);
    if (it == stored->end()) return absl::InternalError("created evidence vanished");
    const bool inserted = inserted_ids.count(result_ids[i]) > 0;
    created.push_back({it->second, !inserted});
    if (inserted && audit) entries.push_back(audit(nullptr, it->second));
  }
  AppendAuditEntries(work, entries);
  return created;
}

}  // namespace

void EvidenceStore::Prepare(pqxx::connection& connection) {
  const std::pair<const char*, const char*> statements[] = {
      {sql::kRequirementKeys, sql::kRequirementKeysSql},
      {sql::kClaimKeys, sql::kClaimKeysSql},
      {sql::kKnownKeys, sql::kKnownKeysSql},
      {sql::kLockExternalKeys, sql::kLockExternalKeysSql},
      {sql::kActiveByExternal, sql::kActiveByExternalSql},
      {sql::kTargets, sql::kTargetsSql},
      {sql::kNewIds, sql::kNewIdsSql},
      {sql::kInsert, sql::kInsertSql},
      {sql::kInsertLinks, sql::kInsertLinksSql},
      {sql::kSupersede, sql::kSupersedeSql},
      {sql::kRecordResults, sql::kRecordResultsSql},
      {sql::kSelectByIds, sql::kSelectByIdsSql},
      {sql::kSelectForUpdate, sql::kSelectForUpdateSql},
      {sql::kWithdraw, sql::kWithdrawSql},
      {sql::kList, sql::kListSql},
  };
  for (const auto& [name, text] : statements) connection.prepare(name, text);
}

absl::StatusOr<std::vector<CreatedEvidence>> EvidenceStore::Create(
    const std::vector<NewEvidence>& requests, bool batch, const std::string& actor,
    absl::Time /*now*/, absl::Time deadline, const AuditFn<Evidence>& audit,
    const std::vector<std::string>& sources) {
  return RunTransaction<std::vector<CreatedEvidence>>(pool_, deadline, [&](pqxx::work& work) {
    return CreateInTransaction(work, requests, batch, actor, audit, sources);
  });
}

absl::StatusOr<Evidence> EvidenceStore::Get(const std::string& id, absl::Time deadline) {
  return RunRead(pool_, deadline, [&](pqxx::transaction_base& work) -> absl::StatusOr<Evidence> {
    auto found = SelectByIds(work, {id});
    if (!found.ok()) return found.status();
    if (found->empty()) {
      return absl::NotFoundError(absl::StrCat("evidence/", id, " does not exist"));
    }
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

absl::StatusOr<Evidence> EvidenceStore::Withdraw(
    const std::string& id, const std::string& reason,
    const std::function<absl::Status(const Evidence&)>& check, absl::Time deadline,
    const AuditFn<Evidence>& audit) {
  return RunTransaction<Evidence>(
      pool_, deadline, [&](pqxx::work& work) -> absl::StatusOr<Evidence> {
        const auto rows = work.exec_prepared(sql::kSelectForUpdate, id);
        if (rows.empty())
          return absl::NotFoundError(absl::StrCat("evidence/", id, " does not exist"));
        Evidence evidence = ReadEvidence(rows[0]);
        if (auto status = check(evidence); !status.ok()) return status;
        if (evidence.state != EvidenceState::kActive) {
          return absl::FailedPreconditionError(absl::StrCat(
              "evidence/", id, " is ",
              evidence.state == EvidenceState::kWithdrawn ? "already WITHDRAWN" : "SUPERSEDED",
              "; only ACTIVE evidence can be withdrawn"));
        }
        work.exec_prepared0(sql::kWithdraw, id, reason);
        const Evidence before = evidence;
        evidence.state = EvidenceState::kWithdrawn;
        evidence.withdraw_reason = reason;
        evidence.version += 1;
        if (audit) AppendAuditEntries(work, {audit(&before, evidence)});
        return evidence;
      });
}

}  // namespace compliance
