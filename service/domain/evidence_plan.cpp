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

absl::StatusOr<std::vector<CreateDecision>> PlanCreates(
    const std::vector<NewEvidence>& requests, const std::vector<size_t>& positions, bool batch,
    const std::vector<StoredRecord>& active, const std::map<std::string, StoredRecord>& targets) {
  std::map<std::pair<std::string, std::string>, const StoredRecord*> active_by_key;
  for (const auto& record : active) {
    active_by_key[{record.source, record.external_id}] = &record;
  }
  std::map<std::pair<std::string, std::string>, size_t> key_owner;
  std::map<std::string, size_t> request_id_owner;
  std::map<std::string, size_t> superseded_owner;
  std::vector<CreateDecision> decisions(requests.size());

  for (size_t i = 0; i < requests.size(); ++i) {
    const NewEvidence& request = requests[i];
    const size_t position = positions[i];
    const std::string path = ItemPath(batch, position);
    if (!request.request_id.empty()) {
      auto [it, fresh] = request_id_owner.emplace(request.request_id, position);
      if (!fresh) {
        return FieldError(path + "request_id", absl::StrCat("repeats requests[", it->second,
                                                            "].request_id in the same batch"));
      }
    }
    CreateDecision& decision = decisions[i];
    if (request.supersedes) {
      auto target = targets.find(*request.supersedes);
      if (target == targets.end()) {
        return absl::NotFoundError(absl::StrCat(path, "evidence.supersedes: evidence/",
                                                *request.supersedes, " does not exist"));
      }
      if (target->second.state != EvidenceState::kActive) {
        return absl::FailedPreconditionError(
            absl::StrCat(path, "evidence.supersedes: evidence/", *request.supersedes,
                         " is no longer ACTIVE and cannot be superseded"));
      }
      decision.supersedes = *request.supersedes;
    }
    const auto& content = request.content;
    if (!content.external_id.empty()) {
      const std::pair<std::string, std::string> key{content.source, content.external_id};
      auto [owner, first] = key_owner.emplace(key, position);
      if (!first) {
        return FieldError(path + "evidence.external_id",
                          absl::StrCat("repeats requests[", owner->second,
                                       "] (same source and external_id) in the same batch"));
      }
      if (auto existing = active_by_key.find(key); existing != active_by_key.end()) {
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
      }
    }
    if (decision.supersedes) {
      auto [owner, first] = superseded_owner.emplace(*decision.supersedes, position);
      if (!first) {
        return FieldError(path + "evidence.supersedes",
                          absl::StrCat("supersedes the same record as requests[", owner->second,
                                       "] in the same batch"));
      }
    }
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
