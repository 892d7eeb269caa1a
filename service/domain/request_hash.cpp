#include "domain/request_hash.h"

#include "absl/strings/str_cat.h"
#include "domain/canonical.h"
#include "domain/sha256.h"

namespace compliance {
namespace {

std::string MicrosOrDash(const std::optional<absl::Time>& time) {
  return time ? absl::StrCat(absl::ToUnixMicros(*time)) : "-";
}

}  // namespace

std::string RequestHash(const ActionFields& f) {
  std::string canonical = "action/v1;";
  AppendField(canonical, f.requirement.Name());
  AppendField(canonical, absl::StrCat(f.kind));
  AppendField(canonical, f.title);
  AppendField(canonical, f.description);
  AppendField(canonical, f.owner);
  AppendField(canonical, absl::StrCat(absl::ToUnixMicros(f.due_time)));
  AppendField(canonical,
              f.recurrence ? absl::StrCat(absl::ToInt64Microseconds(*f.recurrence)) : "-");
  AppendField(canonical, f.evidence_required ? "1" : "0");
  return Sha256Hex(canonical);
}

std::string RequestHash(const std::string& action_name, const Completion& completion) {
  std::string canonical = "complete/v1;";
  AppendField(canonical, action_name);
  for (const auto& id : completion.evidence) AppendField(canonical, id);
  AppendField(canonical, completion.note);
  AppendField(canonical, MicrosOrDash(completion.complete_time));
  return Sha256Hex(canonical);
}

std::string RequestHash(const NewEvidence& request) {
  std::string canonical = CanonicalEvidenceContent(request.content);
  AppendField(canonical, request.supersedes.value_or("-"));
  return Sha256Hex(canonical);
}

std::string RequestHash(const WebhookFields& fields) {
  std::string canonical = "webhook/v1;";
  AppendField(canonical, fields.url);
  AppendField(canonical, fields.filter.resource_prefix);
  for (const auto& method : fields.filter.methods) AppendField(canonical, method);
  return Sha256Hex(canonical);
}

}  // namespace compliance
