#include "import/import_request_id.h"

#include <map>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/strings/strip.h"
#include "absl/time/time.h"
#include "domain/canonical.h"
#include "domain/sha256.h"

namespace compliance {
namespace {

constexpr char kImplicitSource[] = "manual";
constexpr size_t kIdHexDigits = 40;

std::string Micros(const google::protobuf::Timestamp& timestamp) {
  const absl::Time time =
      absl::FromUnixSeconds(timestamp.seconds()) + absl::Nanoseconds(timestamp.nanos());
  return absl::StrCat(absl::ToUnixMicros(time));
}

// The "import-v1" encoding described in the header, field by field.
std::string CanonicalImport(const v1::Evidence& e) {
  const std::set<std::string> requirements(e.requirements().begin(), e.requirements().end());
  std::string out = "evidence/v1;";
  AppendField(out, absl::StrCat(requirements.size()));
  for (const auto& name : requirements) AppendField(out, name);
  AppendField(out, absl::StrCat(static_cast<int>(e.kind())));
  AppendField(out, e.title());
  AppendField(out, e.description());
  AppendField(out, e.uri());
  AppendField(out, e.sha256());
  AppendField(out, e.source().empty() ? kImplicitSource : e.source());
  AppendField(out, e.external_id());
  AppendField(out, Micros(e.collect_time()));
  AppendField(out, e.has_expire_time() ? Micros(e.expire_time()) : "-");
  // A proto map iterates in no fixed order; std::map gives key byte order.
  const std::map<std::string, std::string> labels(e.labels().begin(), e.labels().end());
  AppendField(out, absl::StrCat(labels.size()));
  for (const auto& [key, value] : labels) {
    AppendField(out, key);
    AppendField(out, value);
  }
  absl::string_view supersedes = e.supersedes();
  absl::ConsumePrefix(&supersedes, "evidence/");
  AppendField(out, supersedes.empty() ? "-" : supersedes);
  return out;
}

}  // namespace

std::string ImportRequestId(const v1::Evidence& evidence) {
  return absl::StrCat("import-", Sha256Hex(CanonicalImport(evidence)).substr(0, kIdHexDigits));
}

}  // namespace compliance
