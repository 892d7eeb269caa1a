#include "evidence_run.h"

#include <CLI/CLI.hpp>
#include <iostream>
#include <map>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "api/proto_time.h"
#include "cli_values.h"
#include "compliance/v1/evidence.grpc.pb.h"
#include "evidence_values.h"
#include "output.h"
#include "paging.h"
#include "unary_call.h"

namespace compliance::cli {
namespace {

using v1::EvidenceService;

std::string Expires(const v1::Evidence& e) {
  return FormatTimestamp(e.expire_time()) + (e.expired() ? " (expired)" : "");
}

std::string OrDash(const std::string& text) { return text.empty() ? "-" : text; }

void PrintEvidence(const v1::Evidence& e) {
  std::vector<std::string> requirements;
  for (const auto& r : e.requirements()) requirements.push_back(ShortRequirementName(r));
  std::vector<std::string> labels;
  for (const auto& [key, value] :
       std::map<std::string, std::string>(e.labels().begin(), e.labels().end())) {
    labels.push_back(absl::StrCat(key, "=", value));
  }
  Table table({"field", "value"});
  table.AddRow({"name", e.name()});
  table.AddRow({"requirements", absl::StrJoin(requirements, ", ")});
  table.AddRow({"kind", EvidenceKindWord(e.kind())});
  table.AddRow({"title", e.title()});
  table.AddRow({"uri", e.uri()});
  table.AddRow({"sha256", OrDash(e.sha256())});
  table.AddRow({"source", e.source()});
  table.AddRow({"external id", OrDash(e.external_id())});
  table.AddRow({"collected", FormatTimestamp(e.collect_time())});
  table.AddRow({"expires", Expires(e)});
  table.AddRow({"labels", labels.empty() ? "-" : absl::StrJoin(labels, ", ")});
  table.AddRow({"state", EvidenceStateWord(e.state())});
  if (!e.supersedes().empty()) table.AddRow({"supersedes", e.supersedes()});
  if (!e.superseded_by().empty()) table.AddRow({"superseded by", e.superseded_by()});
  if (!e.withdraw_reason().empty()) table.AddRow({"withdraw reason", e.withdraw_reason()});
  table.AddRow({"submitter", OrDash(e.submitter())});
  table.AddRow({"created", FormatTimestamp(e.create_time())});
  table.AddRow({"etag", e.etag()});
  table.Print(std::cout);
  if (!e.description().empty()) std::cout << "\n" << e.description() << "\n";
}

// The `evidence list` table.
void PrintEvidenceTable(const v1::ListEvidenceResponse& listed) {
  Table table({"NAME", "KIND", "TITLE", "SOURCE", "STATE", "COLLECTED", "EXPIRES"});
  for (const auto& e : listed.evidence()) {
    table.AddRow({ShortEvidenceName(e.name()), EvidenceKindWord(e.kind()), Shorten(e.title(), 48),
                  e.source(), EvidenceStateWord(e.state()), FormatTimestamp(e.collect_time()),
                  Expires(e)});
  }
  table.Print(std::cout);
}

// Prints the evidence an answer holds, as a table.
template <typename Response>
void PrintEvidenceOf(const Response& response) {
  PrintEvidence(response.evidence());
}

}  // namespace

int RunEvidenceAdd(const ClientOptions& options, const EvidenceArgs& args) {
  v1::CreateEvidenceRequest request;
  v1::Evidence* e = request.mutable_evidence();
  for (const auto& requirement : args.requirements) {
    e->add_requirements(ExpandRequirementName(requirement));
  }
  e->set_kind(static_cast<v1::EvidenceKind>(ParseEvidenceKind(args.kind).value_or(0)));
  e->set_title(args.title);
  e->set_description(args.description);
  std::string uri = args.uri;
  if (!args.file.empty()) {
    auto digest = FileSha256(args.file);
    if (!digest.ok()) throw CLI::ValidationError("--file", std::string(digest.status().message()));
    e->set_sha256(*digest);
    if (uri.empty()) uri = FileUri(args.file);
  } else {
    e->set_sha256(absl::AsciiStrToLower(args.sha256));
  }
  if (uri.empty()) throw CLI::ValidationError("--uri", "is required unless --file is given");
  e->set_uri(uri);
  e->set_source(args.source);
  e->set_external_id(args.external_id);
  ToProto(args.collect_time.empty() ? absl::Now() : ParseTime(args.collect_time).value(),
          e->mutable_collect_time());
  if (!args.expire_time.empty()) {
    ToProto(ParseTime(args.expire_time).value(), e->mutable_expire_time());
  }
  for (const auto& text : args.labels) {
    const auto label = ParseLabel(text).value();
    if (!e->mutable_labels()->insert({label.first, label.second}).second) {
      throw CLI::ValidationError("--label", "key \"" + label.first + "\" is given twice");
    }
  }
  if (!args.supersedes.empty()) e->set_supersedes(ExpandEvidenceName(args.supersedes));
  request.set_request_id(args.request_id);
  return CallAndPrint(options, &EvidenceService::Stub::CreateEvidence, request,
                      [](const v1::CreateEvidenceResponse& response) {
                        PrintEvidenceOf(response);
                        if (!response.deduplicated()) return;
                        std::cout << "\nNothing was written: this repeats "
                                  << response.evidence().name() << ".\n";
                      });
}

int RunEvidenceGet(const ClientOptions& options, const EvidenceArgs& args) {
  v1::GetEvidenceRequest request;
  request.set_name(ExpandEvidenceName(args.name));
  return CallAndPrint(options, &EvidenceService::Stub::GetEvidence, request,
                      PrintEvidenceOf<v1::GetEvidenceResponse>);
}

int RunEvidenceList(const ClientOptions& options, const EvidenceArgs& args) {
  auto stub = EvidenceService::NewStub(options.Channel());
  v1::ListEvidenceRequest request;
  if (!args.requirement.empty()) request.set_requirement(ExpandRequirementName(args.requirement));
  if (!args.kind.empty()) {
    request.set_kind(static_cast<v1::EvidenceKind>(ParseEvidenceKind(args.kind).value_or(0)));
  }
  request.set_source(args.source);
  if (!args.state.empty()) {
    request.set_state(static_cast<v1::EvidenceState>(ParseEvidenceState(args.state).value_or(0)));
  }
  request.set_include_expired(args.include_expired);
  const size_t limit = args.limit > 0 ? static_cast<size_t>(args.limit) : 0;
  return CollectAndPrint(
      options, *stub, &EvidenceService::Stub::ListEvidence, request, limit,
      [](auto& response) { return response.mutable_evidence(); },
      [&args](const v1::ListEvidenceResponse& all, bool more) {
        PrintEvidenceTable(all);
        if (more) std::cerr << "(more evidence matches; raise --limit to see it)\n";
        if (all.evidence().empty()) {
          std::cerr << "(no evidence matches"
                    << (args.include_expired ? ""
                                             : "; expired evidence shows with --include-expired")
                    << ")\n";
        }
      });
}

int RunEvidenceWithdraw(const ClientOptions& options, const EvidenceArgs& args) {
  v1::WithdrawEvidenceRequest request;
  request.set_name(ExpandEvidenceName(args.name));
  request.set_reason(args.reason);
  request.set_etag(args.etag);
  return CallAndPrint(options, &EvidenceService::Stub::WithdrawEvidence, request,
                      PrintEvidenceOf<v1::WithdrawEvidenceResponse>);
}

}  // namespace compliance::cli
