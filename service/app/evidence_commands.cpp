#include "app/evidence_commands.h"

#include <map>
#include <optional>
#include <utility>

#include "absl/strings/str_cat.h"
#include "domain/etag.h"
#include "domain/evidence_plan.h"
#include "domain/request_hash.h"
#include "store/random_id.h"

namespace compliance {
namespace {

constexpr char kEvidenceCreates[] = "CreateEvidence";

// NOT_FOUND naming where `missing` first appears among the requests.
absl::Status RequirementNotFound(const std::vector<NewEvidence>& requests, bool batch,
                                 const RequirementKey& missing) {
  for (size_t i = 0; i < requests.size(); ++i) {
    const auto& requirements = requests[i].content.requirements;
    for (size_t j = 0; j < requirements.size(); ++j) {
      if (requirements[j] == missing) {
        return absl::NotFoundError(absl::StrCat(ItemPath(batch, i), "evidence.requirements[", j,
                                                "]: requirement ", missing.Name(),
                                                " does not exist"));
      }
    }
  }
  return absl::NotFoundError(absl::StrCat("requirement ", missing.Name(), " does not exist"));
}

// One run of a create's change in its unit of work (run again from the start on a retry).
class CreateRun {
 public:
  CreateRun(EvidenceStore& store, const std::vector<NewEvidence>& requests, bool batch,
            const std::vector<std::string>& sources, absl::Span<const AuditFn<Evidence>> audits)
      : store_(store), requests_(requests), batch_(batch), sources_(sources), audits_(audits) {}

  // `key_items[k]` is the request of claim k.
  absl::StatusOr<std::vector<CreatedEvidence>> Apply(UnitOfWork& unit, const Claims& claims,
                                                     const std::vector<size_t>& key_items,
                                                     Journal& journal) {
    if (auto s = CheckRequirements(unit); !s.ok()) return s;
    // The record each repeated request_id produced; the rest are decided afresh.
    repeats_.assign(requests_.size(), "");
    for (size_t k = 0; k < claims.size(); ++k) {
      if (claims[k]) repeats_[key_items[k]] = claims[k]->at(0);
    }
    if (auto s = DecideAndWrite(unit, journal); !s.ok()) return s;
    return Answer(unit);
  }

 private:
  absl::Status CheckRequirements(UnitOfWork& unit) {
    std::vector<RequirementKey> named;
    for (const auto& request : requests_) {
      named.insert(named.end(), request.content.requirements.begin(),
                   request.content.requirements.end());
    }
    if (auto missing = store_.MissingRequirement(unit, named)) {
      return RequirementNotFound(requests_, batch_, *missing);
    }
    return absl::OkStatus();
  }

  absl::Status DecideAndWrite(UnitOfWork& unit, Journal& journal) {
    std::vector<NewEvidence> fresh;
    std::vector<size_t> fresh_index;
    for (size_t i = 0; i < requests_.size(); ++i) {
      if (!repeats_[i].empty()) continue;
      fresh.push_back(requests_[i]);
      fresh_index.push_back(i);
    }
    const Collisions collisions = EvidenceStore::LockCollisions(unit, fresh);
    if (auto s = CheckRetirableSources(fresh, fresh_index, batch_, collisions.targets, sources_);
        !s.ok()) {
      return s;
    }
    auto decisions = PlanCreates(fresh, fresh_index, batch_, collisions.active, collisions.targets);
    if (!decisions.ok()) return decisions.status();
    // New records are known here in full; only the ones that repeat stored records are read.
    inserted_.assign(requests_.size(), std::nullopt);
    std::vector<RecordToInsert> records;
    std::vector<std::pair<std::string, std::string>> superseded;
    for (size_t k = 0; k < fresh.size(); ++k) {
      const CreateDecision& decision = (*decisions)[k];
      const size_t i = fresh_index[k];
      std::string id = decision.existing_id.value_or("");
      if (decision.existing_id) {
        repeats_[i] = id;
      } else {
        id = RandomUuid();
        records.push_back({&requests_[i], id, decision.supersedes});
        inserted_[i] =
            InsertedRecord(requests_[i], id, decision.supersedes, journal.actor, StartTime(unit));
        if (decision.supersedes) superseded.emplace_back(*decision.supersedes, id);
        journal.audit.push_back(AuditOf(i)(nullptr, *inserted_[i]));
      }
      if (!requests_[i].request_id.empty()) {
        journal.results.push_back({requests_[i].request_id, {id}});
      }
    }
    return EvidenceStore::WriteCreates(unit, records, superseded, journal);
  }

  absl::StatusOr<std::vector<CreatedEvidence>> Answer(UnitOfWork& unit) {
    std::vector<std::string> repeated_ids;
    for (const auto& id : repeats_) {
      if (!id.empty()) repeated_ids.push_back(id);
    }
    const auto stored = EvidenceStore::Load(unit, repeated_ids);
    std::vector<CreatedEvidence> created;
    created.reserve(requests_.size());
    for (size_t i = 0; i < requests_.size(); ++i) {
      if (inserted_[i]) {
        created.push_back({*std::move(inserted_[i]), false});
        continue;
      }
      auto it = stored.find(repeats_[i]);
      if (it == stored.end()) return absl::InternalError("deduplicated evidence vanished");
      created.push_back({it->second, true});
    }
    return created;
  }

  const AuditFn<Evidence>& AuditOf(size_t i) const {
    return audits_.size() == 1 ? audits_[0] : audits_[i];
  }

  EvidenceStore& store_;
  const std::vector<NewEvidence>& requests_;
  const bool batch_;
  const std::vector<std::string>& sources_;
  const absl::Span<const AuditFn<Evidence>> audits_;  // one for all, or one per request
  std::vector<std::string> repeats_;  // per request: the stored record it repeats, if any
  std::vector<std::optional<Evidence>> inserted_;  // per request: the record it inserts, if any
};

}  // namespace

absl::StatusOr<std::vector<CreatedEvidence>> EvidenceCommands::Create(
    const MutationContext& context, const std::vector<NewEvidence>& requests, bool batch,
    const std::vector<std::string>& sources, absl::Span<const AuditFn<Evidence>> audits) const {
  std::vector<RequestKey> keys;
  std::vector<size_t> key_items;
  for (size_t i = 0; i < requests.size(); ++i) {
    if (requests[i].request_id.empty()) continue;
    keys.push_back({requests[i].request_id, RequestHash(requests[i]),
                    absl::StrCat(ItemPath(batch, i), "request_id")});
    key_items.push_back(i);
  }
  // Single and batch creates share one space of request_ids: a retry may come either way.
  MutationContext creates = context;
  creates.method = kEvidenceCreates;
  return RunMutation<std::vector<CreatedEvidence>>(
      pool_, creates, keys, [&](UnitOfWork& unit, const Claims& claims, Journal& journal) {
        return CreateRun(store_, requests, batch, sources, audits)
            .Apply(unit, claims, key_items, journal);
      });
}

absl::StatusOr<Evidence> EvidenceCommands::Withdraw(const MutationContext& context,
                                                    const std::string& id,
                                                    const std::string& reason,
                                                    const std::string& etag,
                                                    const AuditFn<Evidence>& audit) const {
  SingleMutation<Evidence> mutation;
  mutation.apply = [&](UnitOfWork& unit, Journal& journal) -> absl::StatusOr<Evidence> {
    auto current = EvidenceStore::Lock(unit, id);
    if (!current.ok()) return current.status();
    if (auto s = CheckEtag(etag, "", EvidenceEtag(*current)); !s.ok()) return s;
    if (auto s = RequireWithdrawable(*current); !s.ok()) return s;
    EvidenceStore::WriteWithdrawal(unit, id, reason);
    Evidence withdrawn = Withdrawn(*current, reason);
    journal.audit.push_back(audit(&*current, withdrawn));
    return withdrawn;
  };
  return RunMutation(pool_, context, mutation);
}

}  // namespace compliance
