#include "api/evidence_json.h"

#include <algorithm>
#include <vector>

#include "absl/strings/str_cat.h"
#include "domain/json_string.h"
#include "domain/utc_text.h"

namespace compliance {
namespace {

void AppendField(std::string& out, const char* name) {
  if (out.size() > 1) out += ',';
  absl::StrAppend(&out, "\"", name, "\":");
}

void AppendStringField(std::string& out, const char* name, const std::string& value) {
  if (value.empty()) return;  // proto3 JSON leaves default values out
  AppendField(out, name);
  AppendJsonString(out, JsonSpelling::kProtobuf, value);
}

void AppendTimeField(std::string& out, const char* name, bool present,
                     const google::protobuf::Timestamp& time) {
  if (!present) return;
  AppendField(out, name);
  out += '"';
  AppendRfc3339(out, time.seconds(), time.nanos());
  out += '"';
}

template <typename Enum>
void AppendEnumField(std::string& out, const char* name, Enum value,
                     const std::string& (*name_of)(Enum)) {
  if (static_cast<int>(value) == 0) return;
  AppendField(out, name);
  const std::string& spelled = name_of(value);
  if (spelled.empty()) {
    absl::StrAppend(&out, static_cast<int>(value));  // a value this build does not know
  } else {
    absl::StrAppend(&out, "\"", spelled, "\"");
  }
}

}  // namespace

std::string EvidenceJson(const v1::Evidence& e) {
  std::string out = "{";
  out.reserve(512);
  AppendStringField(out, "name", e.name());
  if (e.requirements_size() > 0) {
    AppendField(out, "requirements");
    out += '[';
    for (int i = 0; i < e.requirements_size(); ++i) {
      if (i > 0) out += ',';
      AppendJsonString(out, JsonSpelling::kProtobuf, e.requirements(i));
    }
    out += ']';
  }
  AppendEnumField(out, "kind", e.kind(), &v1::EvidenceKind_Name<v1::EvidenceKind>);
  AppendStringField(out, "title", e.title());
  AppendStringField(out, "description", e.description());
  AppendStringField(out, "uri", e.uri());
  AppendStringField(out, "sha256", e.sha256());
  AppendStringField(out, "source", e.source());
  AppendStringField(out, "externalId", e.external_id());
  AppendTimeField(out, "collectTime", e.has_collect_time(), e.collect_time());
  AppendTimeField(out, "expireTime", e.has_expire_time(), e.expire_time());
  if (!e.labels().empty()) {
    AppendField(out, "labels");
    std::vector<const google::protobuf::MapPair<std::string, std::string>*> labels;
    for (const auto& label : e.labels()) labels.push_back(&label);
    std::sort(labels.begin(), labels.end(),
              [](const auto* a, const auto* b) { return a->first < b->first; });
    out += '{';
    for (size_t i = 0; i < labels.size(); ++i) {
      if (i > 0) out += ',';
      AppendJsonString(out, JsonSpelling::kProtobuf, labels[i]->first);
      out += ':';
      AppendJsonString(out, JsonSpelling::kProtobuf, labels[i]->second);
    }
    out += '}';
  }
  AppendEnumField(out, "state", e.state(), &v1::EvidenceState_Name<v1::EvidenceState>);
  AppendStringField(out, "supersedes", e.supersedes());
  AppendStringField(out, "supersededBy", e.superseded_by());
  AppendStringField(out, "withdrawReason", e.withdraw_reason());
  AppendStringField(out, "submitter", e.submitter());
  AppendTimeField(out, "createTime", e.has_create_time(), e.create_time());
  if (e.expired()) {
    AppendField(out, "expired");
    out += "true";
  }
  AppendStringField(out, "etag", e.etag());
  out += '}';
  return out;
}

}  // namespace compliance
