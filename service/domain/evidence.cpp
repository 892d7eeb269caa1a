#include "domain/evidence.h"

#include <algorithm>
#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "domain/canonical.h"
#include "domain/clock.h"
#include "domain/errors.h"
#include "domain/sha256.h"
#include "domain/text.h"

namespace compliance {
namespace {

bool IsHexSha256(const std::string& text) {
  return text.size() == 64 && std::all_of(text.begin(), text.end(), [](char c) {
           return absl::ascii_isdigit(c) || (c >= 'a' && c <= 'f');
         });
}

// `[a-z0-9][a-z0-9._-]{0,62}`
bool IsSource(const std::string& source) {
  if (source.empty() || source.size() > 63) return false;
  for (size_t i = 0; i < source.size(); ++i) {
    const char c = source[i];
    const bool alnum = absl::ascii_islower(c) || absl::ascii_isdigit(c);
    if (!alnum && (i == 0 || (c != '.' && c != '_' && c != '-'))) return false;
  }
  return true;
}

// `[a-z][a-z0-9_.-]{0,62}`
bool IsLabelKey(const std::string& key) {
  if (key.empty() || key.size() > 63 || !absl::ascii_islower(key[0])) return false;
  return std::all_of(key.begin(), key.end(), [](char c) {
    return absl::ascii_islower(c) || absl::ascii_isdigit(c) || c == '_' || c == '.' || c == '-';
  });
}

// RFC 3986 absolute URI: a scheme, a colon, and no whitespace or control characters.
bool IsAbsoluteUri(const std::string& uri) {
  const size_t colon = uri.find(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == uri.size()) return false;
  if (!absl::ascii_isalpha(uri[0])) return false;
  for (size_t i = 1; i < colon; ++i) {
    const char c = uri[i];
    if (!absl::ascii_isalnum(c) && c != '+' && c != '-' && c != '.') return false;
  }
  return std::none_of(uri.begin(), uri.end(),
                      [](char c) { return static_cast<unsigned char>(c) <= 0x20 || c == 0x7f; });
}

}  // namespace

std::string EvidenceName(const std::string& id) { return absl::StrCat("evidence/", id); }

bool IsExpired(const Evidence& evidence, absl::Time now) {
  return evidence.content.expire_time && *evidence.content.expire_time <= now;
}

std::string EvidenceEtag(const Evidence& evidence) { return absl::StrCat("e", evidence.version); }

absl::Status ValidateContent(const std::string& prefix, const EvidenceContent& content,
                             absl::Time now) {
  const auto field = [&](absl::string_view name) { return absl::StrCat(prefix, ".", name); };
  if (content.requirements.empty()) return FieldError(field("requirements"), "is required");
  if (content.requirements.size() > kMaxEvidenceRequirements) {
    return FieldError(field("requirements"), "must list at most 32 requirements");
  }
  std::set<std::string> seen;
  for (size_t i = 0; i < content.requirements.size(); ++i) {
    if (!seen.insert(content.requirements[i].Name()).second) {
      return FieldError(field(absl::StrCat("requirements[", i, "]")), "is listed twice");
    }
  }
  if (content.kind < 1 || content.kind > kMaxEvidenceKind) {
    return FieldError(field("kind"), content.kind == 0
                                         ? "is required (not EVIDENCE_KIND_UNSPECIFIED)"
                                         : "is not a known EvidenceKind value");
  }
  if (auto s = CheckText(field("title"), content.title, 1, kMaxEvidenceTitle); !s.ok()) return s;
  if (auto s = CheckText(field("description"), content.description, 0, kMaxEvidenceDescription);
      !s.ok()) {
    return s;
  }
  if (content.uri.empty()) return FieldError(field("uri"), "is required");
  if (auto s = CheckText(field("uri"), content.uri, 1, kMaxEvidenceUri); !s.ok()) return s;
  if (!IsAbsoluteUri(content.uri)) {
    return FieldError(field("uri"), "must be an absolute URI such as https://example.com/doc.pdf");
  }
  if (!content.sha256.empty() && !IsHexSha256(content.sha256)) {
    return FieldError(field("sha256"), "must be 64 lowercase hexadecimal digits");
  }
  if (!IsSource(content.source)) {
    return FieldError(field("source"), "must match [a-z0-9][a-z0-9._-]{0,62}");
  }
  if (auto s = CheckText(field("external_id"), content.external_id, 0, kMaxExternalId); !s.ok()) {
    return s;
  }
  if (content.collect_time > now + kClockSkew) {
    return FieldError(field("collect_time"), "must not be in the future");
  }
  if (content.expire_time && *content.expire_time <= content.collect_time) {
    return FieldError(field("expire_time"), "must be after collect_time");
  }
  if (content.labels.size() > kMaxLabels) {
    return FieldError(field("labels"), "must have at most 16 entries");
  }
  for (const auto& [key, value] : content.labels) {
    if (!IsLabelKey(key)) {
      return FieldError(field("labels"), absl::StrCat("key \"", key.substr(0, 64),
                                                      "\" must match [a-z][a-z0-9_.-]{0,62}"));
    }
    if (auto s = CheckText(field(absl::StrCat("labels[", key, "]")), value, 0, kMaxLabelValue);
        !s.ok()) {
      return s;
    }
  }
  return absl::OkStatus();
}

absl::Status ValidateRequestId(const std::string& field, const std::string& request_id) {
  if (auto s = CheckText(field, request_id, 0, kMaxRequestId); !s.ok()) return s;
  if (std::any_of(request_id.begin(), request_id.end(),
                  [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; })) {
    return FieldError(field, "must not contain control characters");
  }
  return absl::OkStatus();
}

std::string CanonicalEvidenceContent(const EvidenceContent& content) {
  std::set<std::string> requirements;
  for (const auto& key : content.requirements) requirements.insert(key.Name());
  std::string out = "evidence/v1;";
  AppendField(out, absl::StrCat(requirements.size()));
  for (const auto& name : requirements) AppendField(out, name);
  AppendField(out, absl::StrCat(content.kind));
  AppendField(out, content.title);
  AppendField(out, content.description);
  AppendField(out, content.uri);
  AppendField(out, content.sha256);
  AppendField(out, content.source);
  AppendField(out, content.external_id);
  AppendField(out, absl::StrCat(absl::ToUnixMicros(content.collect_time)));
  AppendField(out,
              content.expire_time ? absl::StrCat(absl::ToUnixMicros(*content.expire_time)) : "-");
  AppendField(out, absl::StrCat(content.labels.size()));
  for (const auto& [key, value] : content.labels) {
    AppendField(out, key);
    AppendField(out, value);
  }
  return out;
}

std::string ContentHash(const EvidenceContent& content) {
  return Sha256Hex(CanonicalEvidenceContent(content));
}

absl::Status RequireWithdrawable(const Evidence& evidence) {
  if (evidence.state == EvidenceState::kActive) return absl::OkStatus();
  return absl::FailedPreconditionError(
      absl::StrCat("evidence/", evidence.id, " is ",
                   evidence.state == EvidenceState::kWithdrawn ? "already WITHDRAWN" : "SUPERSEDED",
                   "; only ACTIVE evidence can be withdrawn"));
}

Evidence Withdrawn(const Evidence& evidence, const std::string& reason) {
  Evidence withdrawn = evidence;
  withdrawn.state = EvidenceState::kWithdrawn;
  withdrawn.withdraw_reason = reason;
  withdrawn.version += 1;
  return withdrawn;
}

}  // namespace compliance
