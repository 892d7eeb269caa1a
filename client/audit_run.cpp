#include "audit_run.h"

#include <CLI/CLI.hpp>
#include <iostream>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "audit_client.h"
#include "audit_command.h"
#include "cli_values.h"
#include "compliance/v1/audit.grpc.pb.h"
#include "output.h"
#include "paging.h"
#include "unary_call.h"

namespace compliance::cli {
namespace {

using v1::AuditService;

// One line: control characters (line breaks…) become spaces.
std::string OneLine(std::string text) {
  for (char& c : text) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = ' ';
  }
  return text.empty() ? "-" : text;
}

bool LooksLikeUuid(absl::string_view text) {
  if (text.size() != 36) return false;
  for (size_t i = 0; i < text.size(); ++i) {
    const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? text[i] != '-' : !absl::ascii_isxdigit(static_cast<unsigned char>(text[i]))) {
      return false;
    }
  }
  return true;
}

// --resource: a full name passes unchanged, a short requirement name (5.1.a) is expanded; a bare
// UUID could be evidence or an action, so it is refused.
std::string AuditResource(const std::string& text) {
  if (LooksLikeUuid(text)) {
    throw CLI::ValidationError(
        "--resource", "\"" + text + "\" could be evidence or an action: give evidence/" + text +
                          " or actions/" + text);
  }
  return ExpandRequirementName(text);
}

}  // namespace

int RunAuditList(const ClientOptions& options, const AuditArgs& args) {
  v1::ListAuditEventsRequest request;
  request.set_after_sequence(args.after);
  if (!args.resource.empty()) request.set_resource(AuditResource(args.resource));
  const size_t limit = args.limit > 0 ? static_cast<size_t>(args.limit) : 0;
  auto stub = AuditStub(options);
  return CollectAndPrint(
      options, *stub, &AuditService::Stub::ListAuditEvents, request, limit,
      [](auto& response) { return response.mutable_audit_events(); },
      [](const v1::ListAuditEventsResponse& all, bool more) {
        Table table({"SEQ", "TIME", "ACTOR", "METHOD", "RESOURCE"});
        for (const auto& event : all.audit_events()) table.AddRow(AuditEventCells(event));
        table.Print(std::cout);
        if (more) std::cerr << "(more events match; raise --limit to see them)\n";
        if (all.audit_events().empty()) std::cerr << "(no audit events match)\n";
      });
}

int RunAuditVerify(const ClientOptions& options) {
  v1::VerifyAuditLogResponse response;
  const grpc::Status status = CallOnce(options, &AuditService::Stub::VerifyAuditLog,
                                       v1::VerifyAuditLogRequest(), &response);
  if (!status.ok()) return ReportRpcError(status, options.server);
  if (options.json()) {
    PrintJson(response, std::cout);
  } else if (response.intact()) {
    std::cout << "intact: " << response.verified_events() << " events verified\n";
  } else {
    std::cout << "BROKEN at sequence " << response.first_broken_sequence() << ": "
              << response.detail() << "\n";
  }
  return response.intact() ? 0 : kAuditBrokenExitCode;
}

std::string ShortMethodName(absl::string_view method) {
  const size_t slash = method.rfind('/');
  return std::string(slash == absl::string_view::npos ? method : method.substr(slash + 1));
}

std::vector<std::string> AuditEventCells(const v1::AuditEvent& event) {
  return {absl::StrCat(event.sequence()), FormatTimestamp(event.time()),
          Shorten(OneLine(event.actor()), 40), OneLine(ShortMethodName(event.method())),
          OneLine(event.resource())};
}

}  // namespace compliance::cli
