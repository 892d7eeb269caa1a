#include "store/evidence_store.h"

#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "absl/strings/str_cat.h"
#include "domain/evidence_plan.h"
#include "domain/json_string.h"
#include "store/evidence_sql.h"
#include "store/json_rows.h"
#include "store/random_id.h"
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

absl::Status CheckRequirementsExist(pqxx::work& work, RequirementCatalog& catalog,
                                    const std::vector<NewEvidence>& requests, bool batch) {
  std::vector<RequirementKey> keys;
  for (const auto& request : requests) {
    keys.insert(keys.end(), request.content.requirements.begin(),
                request.content.requirements.end());
  }
  if (catalog.AllExist(work, keys)) return absl::OkStatus();
  for (size_t i = 0; i < requests.size(); ++i) {
    const auto& requirements = requests[i].content.requirements;
    for (size_t j = 0; j < requirements.size(); ++j) {
      if (!catalog.Exists(requirements[j])) {
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

void AddRecord(JsonRows& records, const NewEvidence& request, const std::string& id,
               const std::optional<std::string>& supersedes) {
  const auto& c = request.content;
  std::string labels = "{";
  for (const auto& [key, value] : c.labels) {
    if (labels.size() > 1) labels += ',';
    AppendJsonString(labels, JsonSpelling::kPlain, key);
    labels += ':';
    AppendJsonString(labels, JsonSpelling::kPlain, value);
  }
  labels += '}';
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
  records.Raw("labels", labels);
  records.String("hash", ContentHash(c));
  if (c.expire_time) records.Number("expire_us", absl::ToUnixMicros(*c.expire_time));
  if (supersedes) records.String("supersedes", *supersedes);
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

// The record a create has just inserted, as a read would return it: the content as sent,
// stamped with the transaction's start time (the create_time column's default, now()).
Evidence InsertedRecord(const NewEvidence& request, const std::string& id,
                        const std::optional<std::string>& supersedes, const std::string& actor,
                        absl::Time transaction_start) {
  Evidence evidence;
  evidence.id = id;
  evidence.content = request.content;
  evidence.state = EvidenceState::kActive;
  evidence.supersedes = supersedes.value_or("");
  evidence.submitter = actor;
  evidence.create_time = transaction_start;
  evidence.version = 1;
  return evidence;
}

absl::StatusOr<std::vector<CreatedEvidence>> CreateInTransaction(
    pqxx::work& work, absl::Time transaction_start, RequirementCatalog& catalog,
    const std::vector<NewEvidence>& requests, bool batch, const std::string& actor,
    const AuditFn<Evidence>& audit, const std::vector<std::string>& sources, bool* contended) {
  if (auto status = CheckRequirementsExist(work, catalog, requests, batch); !status.ok()) {
    return status;
  }
  auto repeated = ResolveRequestIds(work, requests, batch, actor);
  if (!repeated.ok()) return repeated.status();

  // The rest: lock their keys, read what they may collide with, decide.
  std::vector<NewEvidence> fresh;
  std::vector<size_t> fresh_index;
  JsonRows keys;
  json targets = json::array();
  for (size_t i = 0; i < requests.size(); ++i) {
    if (repeated->count(i) > 0) continue;
    fresh.push_back(requests[i]);
    fresh_index.push_back(i);
    const auto& c = requests[i].content;
    if (!c.external_id.empty()) {
      keys.Row();
      keys.String("source", c.source);
      keys.String("external_id", c.external_id);
    }
    if (requests[i].supersedes) targets.push_back(*requests[i].supersedes);
  }
  std::vector<StoredRecord> active;
  if (!keys.empty()) {
    const std::string key_rows = keys.Finish();
    if (*contended) work.exec_prepared(sql::kLockExternalKeys, key_rows);
    for (const auto& row : work.exec_prepared(sql::kActiveByExternal, key_rows)) {
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

  // New records are known here in full; only the ones that repeat stored records are read.
  std::vector<std::optional<Evidence>> inserted(requests.size());
  std::vector<std::string> repeats(requests.size());  // the stored record's id, if any
  for (const auto& [i, id] : *repeated) repeats[i] = id;
  JsonRows records, links, superseded, request_results;
  std::vector<AuditEntry> entries;
  for (size_t k = 0; k < fresh.size(); ++k) {
    const auto& decision = (*decisions)[k];
    const size_t i = fresh_index[k];
    std::string id;
    if (decision.existing_id) {
      id = *decision.existing_id;
      repeats[i] = id;
    } else {
      id = RandomUuid();
      inserted[i] = InsertedRecord(fresh[k], id, decision.supersedes, actor, transaction_start);
      AddRecord(records, fresh[k], id, decision.supersedes);
      const auto& requirements = fresh[k].content.requirements;
      for (size_t j = 0; j < requirements.size(); ++j) {
        links.Row();
        links.String("id", id);
        links.String("framework", requirements[j].framework);
        links.String("requirement", requirements[j].id);
        links.Number("ordinal", static_cast<int64_t>(j));
      }
      if (decision.supersedes) {
        superseded.Row();
        superseded.String("id", *decision.supersedes);
        superseded.String("by", id);
      }
      if (audit) entries.push_back(audit(nullptr, *inserted[i]));
    }
    if (!fresh[k].request_id.empty()) {
      request_results.Row();
      request_results.String("request_id", fresh[k].request_id);
      request_results.String("id", id);
    }
  }
  // Supersede first: the partial unique index allows one ACTIVE record per external key.
  if (!superseded.empty()) work.exec_prepared(sql::kSupersede, superseded.Finish());
  if (!records.empty() || !request_results.empty()) {
    try {
      work.exec_prepared(sql::kWrite, records.Finish(), actor, links.Finish(), kCreateMethod,
                         request_results.Finish(), AuditRowsJson(entries));
    } catch (const pqxx::unique_violation& e) {
      // A concurrent writer of one of these keys committed first: run again, to find its
      // record and deduplicate or supersede it.
      if (std::string(e.what()).find(sql::kConflict) == std::string::npos) throw;
      *contended = true;
      throw pqxx::serialization_failure(e.what());
    }
  }

  std::vector<std::string> existing_ids;
  for (const auto& id : repeats) {
    if (!id.empty()) existing_ids.push_back(id);
  }
  std::map<std::string, Evidence> existing;
  if (!existing_ids.empty()) {
    auto stored = SelectByIds(work, existing_ids);
    if (!stored.ok()) return stored.status();
    existing = std::move(*stored);
  }
  std::vector<CreatedEvidence> created;
  created.reserve(requests.size());
  for (size_t i = 0; i < requests.size(); ++i) {
    if (inserted[i]) {
      created.push_back({std::move(*inserted[i]), false});
      continue;
    }
    auto it = existing.find(repeats[i]);
    if (it == existing.end()) return absl::InternalError("deduplicated evidence vanished");
    created.push_back({it->second, true});
  }
  return created;
}

}  // namespace

void EvidenceStore::Prepare(pqxx::connection& connection) {
  const std::pair<const char*, const char*> statements[] = {
      {sql::kClaimKeys, sql::kClaimKeysSql},
      {sql::kKnownKeys, sql::kKnownKeysSql},
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

absl::StatusOr<std::vector<CreatedEvidence>> EvidenceStore::Create(
    const std::vector<NewEvidence>& requests, bool batch, const std::string& actor,
    absl::Time /*now*/, absl::Time deadline, const AuditFn<Evidence>& audit,
    const std::vector<std::string>& sources) {
  bool contended = false;  // set when an attempt ran into a concurrent writer of a key
  return RunTransactionAt<std::vector<CreatedEvidence>>(
      pool_, deadline, [&](pqxx::work& work, absl::Time start) {
        return CreateInTransaction(work, start, catalog_, requests, batch, actor, audit, sources,
                                   &contended);
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
