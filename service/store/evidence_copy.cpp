#include "store/evidence_copy.h"

#include <array>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "domain/json_string.h"
#include "domain/utc_text.h"

namespace compliance {
namespace {

// timestamptz input that reads back the same microsecond (years 0001–9999, as stored times are).
std::string TimestampText(absl::Time time) {
  std::string text;
  text.reserve(32);
  AppendTimestamptz(text, time);
  return text;
}

// A row of COPY fields; nullptr is NULL. The strings it points into outlive the row.
template <size_t N>
using Fields = std::array<const char*, N>;

void CopyRecords(pqxx::transaction_base& work, const std::vector<RecordToInsert>& records,
                 const std::string& submitter) {
  pqxx::stream_to rows(
      work, "evidence",
      std::vector<std::string>{"id", "kind", "title", "description", "uri", "sha256", "source",
                               "external_id", "collect_time", "expire_time", "labels",
                               "content_hash", "supersedes", "submitter"});
  for (const auto& record : records) {
    const EvidenceContent& c = record.request->content;
    const std::string kind = absl::StrCat(c.kind), collect = TimestampText(c.collect_time),
                      expire = c.expire_time ? TimestampText(*c.expire_time) : "",
                      labels = LabelsJson(c), hash = ContentHash(c);
    rows << Fields<14>{record.id.c_str(),
                       kind.c_str(),
                       c.title.c_str(),
                       c.description.c_str(),
                       c.uri.c_str(),
                       c.sha256.c_str(),
                       c.source.c_str(),
                       c.external_id.c_str(),
                       collect.c_str(),
                       c.expire_time ? expire.c_str() : nullptr,
                       labels.c_str(),
                       hash.c_str(),
                       record.supersedes ? record.supersedes->c_str() : nullptr,
                       submitter.c_str()};
  }
  rows.complete();
}

void CopyLinks(pqxx::transaction_base& work, const std::vector<RecordToInsert>& records) {
  pqxx::stream_to rows(
      work, "evidence_requirements",
      std::vector<std::string>{"evidence_id", "framework", "requirement_id", "ordinal"});
  for (const auto& record : records) {
    const auto& requirements = record.request->content.requirements;
    for (size_t j = 0; j < requirements.size(); ++j) {
      const std::string ordinal = absl::StrCat(j);
      rows << Fields<4>{record.id.c_str(), requirements[j].framework.c_str(),
                        requirements[j].id.c_str(), ordinal.c_str()};
    }
  }
  rows.complete();
}

}  // namespace

std::string LabelsJson(const EvidenceContent& content) {
  std::string labels = "{";
  for (const auto& [key, value] : content.labels) {
    if (labels.size() > 1) labels += ',';
    AppendJsonString(labels, JsonSpelling::kPlain, key);
    labels += ':';
    AppendJsonString(labels, JsonSpelling::kPlain, value);
  }
  labels += '}';
  return labels;
}

void CopyEvidenceRecords(pqxx::transaction_base& work, const std::vector<RecordToInsert>& records,
                         const std::string& submitter) {
  // Records first: the links' foreign key and the live-links trigger read them.
  CopyRecords(work, records, submitter);
  CopyLinks(work, records);
}

}  // namespace compliance
