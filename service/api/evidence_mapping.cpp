#include "api/evidence_mapping.h"

#include "absl/strings/str_cat.h"
#include "api/proto_time.h"
#include "domain/errors.h"

namespace compliance {

void ToProto(const Evidence& evidence, absl::Time now, v1::Evidence* out) {
  const auto& c = evidence.content;
  out->set_name(EvidenceName(evidence.id));
  for (const auto& key : c.requirements) out->add_requirements(key.Name());
  out->set_kind(static_cast<v1::EvidenceKind>(c.kind));
  out->set_title(c.title);
  out->set_description(c.description);
  out->set_uri(c.uri);
  out->set_sha256(c.sha256);
  out->set_source(c.source);
  out->set_external_id(c.external_id);
  ToProto(c.collect_time, out->mutable_collect_time());
  if (c.expire_time) ToProto(*c.expire_time, out->mutable_expire_time());
  for (const auto& [key, value] : c.labels) (*out->mutable_labels())[key] = value;
  out->set_state(static_cast<v1::EvidenceState>(evidence.state));
  if (!evidence.supersedes.empty()) out->set_supersedes(EvidenceName(evidence.supersedes));
  if (!evidence.superseded_by.empty()) {
    out->set_superseded_by(EvidenceName(evidence.superseded_by));
  }
  out->set_withdraw_reason(evidence.withdraw_reason);
  out->set_submitter(evidence.submitter);
  ToProto(evidence.create_time, out->mutable_create_time());
  out->set_expired(IsExpired(evidence, now));
  out->set_etag(EvidenceEtag(evidence));
}

absl::StatusOr<NewEvidence> ParseCreateEvidence(const v1::CreateEvidenceRequest& request,
                                                const std::string& path, absl::Time now) {
  const std::string prefix = path + "evidence";
  if (!request.has_evidence()) return FieldError(prefix, "is required");
  const v1::Evidence& in = request.evidence();
  NewEvidence parsed;
  parsed.request_id = request.request_id();
  if (auto s = ValidateRequestId(path + "request_id", parsed.request_id); !s.ok()) return s;

  EvidenceContent& c = parsed.content;
  for (int i = 0; i < in.requirements_size(); ++i) {
    auto key =
        ParseRequirementName(absl::StrCat(prefix, ".requirements[", i, "]"), in.requirements(i));
    if (!key.ok()) return key.status();
    c.requirements.push_back(*key);
  }
  c.kind = in.kind();
  c.title = in.title();
  c.description = in.description();
  c.uri = in.uri();
  c.sha256 = in.sha256();
  c.source = in.source().empty() ? kDefaultSource : in.source();
  c.external_id = in.external_id();
  if (!in.has_collect_time()) return FieldError(prefix + ".collect_time", "is required");
  auto collect = StoredTimeFromProto(prefix + ".collect_time", in.collect_time());
  if (!collect.ok()) return collect.status();
  c.collect_time = *collect;
  if (in.has_expire_time()) {
    auto expire = StoredTimeFromProto(prefix + ".expire_time", in.expire_time());
    if (!expire.ok()) return expire.status();
    c.expire_time = *expire;
  }
  c.labels.insert(in.labels().begin(), in.labels().end());
  if (auto s = ValidateContent(prefix, c, now); !s.ok()) return s;
  if (!in.supersedes().empty()) {
    auto target = ParseUuidName(prefix + ".supersedes", "evidence", in.supersedes());
    if (!target.ok()) return target.status();
    parsed.supersedes = *target;
  }
  return parsed;
}

}  // namespace compliance
