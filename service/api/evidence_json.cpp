#include "api/evidence_json.h"

#include <google/protobuf/util/time_util.h>

#include <algorithm>
#include <vector>

#include "absl/strings/str_cat.h"

namespace compliance {
namespace {

using google::protobuf::util::TimeUtil;

// Code points protobuf's writer spells as \u escapes beyond ASCII: C1 controls and the
// invisible formatting characters (soft hyphen, bidi and zero-width marks, BOM, tags…).
bool EscapedBeyondAscii(uint32_t cp) {
  return (cp >= 0x80 && cp <= 0x9F) || cp == 0xAD || (cp >= 0x600 && cp <= 0x603) || cp == 0x6DD ||
         cp == 0x70F || cp == 0x17B4 || cp == 0x17B5 || (cp >= 0x200B && cp <= 0x200F) ||
         (cp >= 0x2028 && cp <= 0x202E) || (cp >= 0x2060 && cp <= 0x2064) ||
         (cp >= 0x206A && cp <= 0x206F) || cp == 0xFEFF || (cp >= 0xFFF9 && cp <= 0xFFFB) ||
         (cp >= 0x1D173 && cp <= 0x1D17A) || cp == 0xE0001 || (cp >= 0xE0020 && cp <= 0xE007F);
}

void AppendUnitEscape(std::string& out, uint32_t unit) {
  static constexpr char kHex[] = "0123456789abcdef";
  out += "\\u";
  for (int shift = 12; shift >= 0; shift -= 4) out += kHex[(unit >> shift) & 0xF];
}

void AppendCodePointEscape(std::string& out, uint32_t cp) {
  if (cp < 0x10000) return AppendUnitEscape(out, cp);
  cp -= 0x10000;  // a surrogate pair, as JSON spells astral code points
  AppendUnitEscape(out, 0xD800 + (cp >> 10));
  AppendUnitEscape(out, 0xDC00 + (cp & 0x3FF));
}

// Length of the UTF-8 sequence that starts with `lead`.
size_t SequenceLength(unsigned char lead) {
  if (lead < 0xE0) return 2;
  return lead < 0xF0 ? 3 : 4;
}

uint32_t DecodeSequence(const std::string& text, size_t at, size_t length) {
  static constexpr unsigned char kLeadMask[] = {0, 0, 0x1F, 0x0F, 0x07};
  uint32_t cp = static_cast<unsigned char>(text[at]) & kLeadMask[length];
  for (size_t k = 1; k < length; ++k)
    cp = (cp << 6) | (static_cast<unsigned char>(text[at + k]) & 0x3F);
  return cp;
}

void AppendField(std::string& out, const char* name) {
  if (out.size() > 1) out += ',';
  absl::StrAppend(&out, "\"", name, "\":");
}

void AppendStringField(std::string& out, const char* name, const std::string& value) {
  if (value.empty()) return;  // proto3 JSON leaves default values out
  AppendField(out, name);
  AppendProtoJsonString(out, value);
}

void AppendTimeField(std::string& out, const char* name, bool present,
                     const google::protobuf::Timestamp& time) {
  if (!present) return;
  AppendField(out, name);
  absl::StrAppend(&out, "\"", TimeUtil::ToString(time), "\"");
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

void AppendProtoJsonString(std::string& out, const std::string& text) {
  out += '"';
  for (size_t i = 0; i < text.size();) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (c >= 0x80) {
      const size_t length = std::min(SequenceLength(c), text.size() - i);
      const uint32_t cp = DecodeSequence(text, i, length);
      if (EscapedBeyondAscii(cp)) {
        AppendCodePointEscape(out, cp);
      } else {
        out.append(text, i, length);
      }
      i += length;
      continue;
    }
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (c < 0x20 || c == '<' || c == '>' || c == 0x7F) {
          AppendUnitEscape(out, c);
        } else {
          out += static_cast<char>(c);
        }
    }
    ++i;
  }
  out += '"';
}

std::string EvidenceJson(const v1::Evidence& e) {
  std::string out = "{";
  out.reserve(512);
  AppendStringField(out, "name", e.name());
  if (e.requirements_size() > 0) {
    AppendField(out, "requirements");
    out += '[';
    for (int i = 0; i < e.requirements_size(); ++i) {
      if (i > 0) out += ',';
      AppendProtoJsonString(out, e.requirements(i));
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
      AppendProtoJsonString(out, labels[i]->first);
      out += ':';
      AppendProtoJsonString(out, labels[i]->second);
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
