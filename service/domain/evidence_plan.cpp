#include "domain/evidence_plan.h"

#include <algorithm>
#include <set>
#include <utility>

#include "absl/strings/str_cat.h"
#include "domain/errors.h"

namespace compliance {

std::string ItemPath(bool batch, size_t index) {
  return batch ? absl::StrCat("requests[", index, "].") : "";
}

namespace {

// What the items of one create decided so far: which position claimed each request_id,
// (source, external_id) key and superseded record, so that a later item repeating one is
// refused by naming the first.
class CreatePlanner {
 public:
  CreatePlanner(bool batch, const std::vector<StoredRecord>& active,
                const std::map<std::string, StoredRecord>& targets)
      : batch_(batch), targets_(targets) {
    for (const auto& record : active) active_by_key_[{record.source, record.external_id}] = &record;
  }

  absl::Status Decide(const NewEvidence& request, size_t position, CreateDecision& decision) {
    const std::string path = ItemPath(batch_, position);
    if (auto s = ClaimRequestId(request, position, path); !s.ok()) return s;
    if (auto s = TakeExplicitSupersedes(request, path, decision); !s.ok()) return s;
    if (auto s = MatchActiveRecord(request, position, path, decision); !s.ok()) return s;
    if (auto s = ClaimRepeated(position, path, decision); !s.ok()) return s;
    return ClaimSuperseded(position, path, decision);
  }

 private:
  using Key = std::pair<std::string, std::string>;  // (source, external_id)

  absl::Status ClaimRequestId(const NewEvidence& request, size_t position,
                              const std::string& path) {
    if (request.request_id.empty()) return absl::OkStatus();
    auto [it, fresh] = request_id_owner_.emplace(request.request_id, position);
    if (fresh) return absl::OkStatus();
    return FieldError(path + "request_id", absl::StrCat("repeats requests[", it->second,
                                                        "].request_id in the same batch"));
  }

  // An explicit supersedes must name an ACTIVE record.
  absl::Status TakeExplicitSupersedes(const NewEvidence& request, const std::string& path,
                                      CreateDecision& decision) const {
    if (!request.supersedes) return absl::OkStatus();
    auto target = targets_.find(*request.supersedes);
    if (target == targets_.end()) {
      return absl::NotFoundError(absl::StrCat(path, "evidence.supersedes: evidence/",
                                              *request.supersedes, " does not exist"));
    }
    if (target->second.state != EvidenceState::kActive) {
      return absl::FailedPreconditionError(
          absl::StrCat(path, "evidence.supersedes: evidence/", *request.supersedes,
                       " is no longer ACTIVE and cannot be superseded"));
    }
    decision.supersedes = *request.supersedes;
    return absl::OkStatus();
  }

  // The ACTIVE record of the same (source, external_id): the same content is that record
  // (deduplicated), other content supersedes it.
  absl::Status MatchActiveRecord(const NewEvidence& request, size_t position,
                                 const std::string& path, CreateDecision& decision) {
    const auto& content = request.content;
    if (content.external_id.empty()) return absl::OkStatus();
    const Key key{content.source, content.external_id};
    auto [owner, first] = key_owner_.emplace(key, position);
    if (!first) {
      return FieldError(path + "evidence.external_id",
                        absl::StrCat("repeats requests[", owner->second,
                                     "] (same source and external_id) in the same batch"));
    }
    auto existing = active_by_key_.find(key);
    if (existing == active_by_key_.end()) return absl::OkStatus();
    const StoredRecord& record = *existing->second;
    if (request.supersedes && *request.supersedes != record.id) {
      return absl::FailedPreconditionError(absl::StrCat(
          path, "evidence.supersedes: the ACTIVE record for this source and external_id is ",
          "evidence/", record.id, ", not evidence/", *request.supersedes));
    }
    if (record.content_hash == ContentHash(content)) {
      decision.existing_id = record.id;
      decision.supersedes.reset();
    } else {
      decision.supersedes = record.id;
    }
    return absl::OkStatus();
  }

  // A record one item repeats (deduplicated) cannot be one another item supersedes: the
  // first would be answered with a record the second retires.
  absl::Status ClaimRepeated(size_t position, const std::string& path,
                             const CreateDecision& decision) {
    if (!decision.existing_id) return absl::OkStatus();
    auto superseder = superseded_owner_.find(*decision.existing_id);
    if (superseder == superseded_owner_.end()) {
      repeated_owner_.emplace(*decision.existing_id, position);
      return absl::OkStatus();
    }
    return FieldError(path + "evidence.external_id",
                      absl::StrCat("repeats evidence/", *decision.existing_id, ", which requests[",
                                   superseder->second, "] supersedes in the same batch"));
  }

  absl::Status ClaimSuperseded(size_t position, const std::string& path,
                               const CreateDecision& decision) {
    if (!decision.supersedes) return absl::OkStatus();
    if (auto repeater = repeated_owner_.find(*decision.supersedes);
        repeater != repeated_owner_.end()) {
      return FieldError(
          path + "evidence.supersedes",
          absl::StrCat("supersedes evidence/", *decision.supersedes, ", which requests[",
                       repeater->second, "] repeats in the same batch"));
    }
    auto [owner, first] = superseded_owner_.emplace(*decision.supersedes, position);
    if (first) return absl::OkStatus();
    return FieldError(path + "evidence.supersedes",
                      absl::StrCat("supersedes the same record as requests[", owner->second,
                                   "] in the same batch"));
  }

  const bool batch_;
  const std::map<std::string, StoredRecord>& targets_;
  std::map<Key, const StoredRecord*> active_by_key_;
  std::map<Key, size_t> key_owner_;
  std::map<std::string, size_t> request_id_owner_;
  std::map<std::string, size_t> superseded_owner_;
  std::map<std::string, size_t> repeated_owner_;  // records items are deduplicated to
};

}  // namespace

absl::StatusOr<std::vector<CreateDecision>> PlanCreates(
    const std::vector<NewEvidence>& requests, const std::vector<size_t>& positions, bool batch,
    const std::vector<StoredRecord>& active, const std::map<std::string, StoredRecord>& targets) {
  CreatePlanner planner(batch, active, targets);
  std::vector<CreateDecision> decisions(requests.size());
  for (size_t i = 0; i < requests.size(); ++i) {
    if (auto s = planner.Decide(requests[i], positions[i], decisions[i]); !s.ok()) return s;
  }
  return decisions;
}

absl::Status CheckRetirableSources(const std::vector<NewEvidence>& requests,
                                   const std::vector<size_t>& positions, bool batch,
                                   const std::map<std::string, StoredRecord>& targets,
                                   const std::vector<std::string>& sources) {
  if (sources.empty()) return absl::OkStatus();
  for (size_t k = 0; k < requests.size(); ++k) {
    if (!requests[k].supersedes) continue;
    auto target = targets.find(*requests[k].supersedes);
    if (target != targets.end() &&
        std::find(sources.begin(), sources.end(), target->second.source) == sources.end()) {
      return absl::PermissionDeniedError(absl::StrCat(
          ItemPath(batch, positions[k]), "evidence.supersedes: this token may not retire ",
          "evidence of source \"", target->second.source, "\""));
    }
  }
  return absl::OkStatus();
}

Evidence InsertedRecord(const NewEvidence& request, const std::string& id,
                        const std::optional<std::string>& supersedes, const std::string& submitter,
                        absl::Time create_time) {
  Evidence evidence;
  evidence.id = id;
  evidence.content = request.content;
  evidence.state = EvidenceState::kActive;
  evidence.supersedes = supersedes.value_or("");
  evidence.submitter = submitter;
  evidence.create_time = create_time;
  evidence.version = 1;
  return evidence;
}

}  // namespace compliance
