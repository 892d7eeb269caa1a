// Every RPC's request, from hostile bytes: "<Method>\n<protobuf bytes>". The bytes are parsed
// as the server parses them; what does not parse must get RequestParseError's
// INVALID_ARGUMENT, and what parses goes through that method's validation, which must answer
// OK or INVALID_ARGUMENT with a message that starts with a path of the request's fields, the
// path that api/status.h then names in the google.rpc.BadRequest detail.
#include <google/protobuf/descriptor.h>
#include <google/protobuf/dynamic_message.h>

#include <functional>
#include <map>
#include <memory>
#include <vector>

#include "absl/strings/strip.h"
#include "api/action_mapping.h"
#include "api/action_requests.h"
#include "api/audit_requests.h"
#include "api/evidence_mapping.h"
#include "api/evidence_requests.h"
#include "api/report_requests.h"
#include "api/request_parse_errors.h"
#include "api/requirement_requests.h"
#include "api/webhook_requests.h"
#include "compliance/v1/action.grpc.pb.h"
#include "compliance/v1/audit.grpc.pb.h"
#include "compliance/v1/evidence.grpc.pb.h"
#include "compliance/v1/report.grpc.pb.h"
#include "compliance/v1/requirement.grpc.pb.h"
#include "compliance/v1/webhook.grpc.pb.h"
#include "domain/errors.h"
#include "domain/names.h"
#include "fuzz_check.h"

namespace compliance {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::Message;
using Check = std::function<absl::Status(const Message&)>;

const absl::Time kNow = absl::FromUnixSeconds(1798761600);  // 2027-01-01

// Adapts a validation of one request type to the table's signature.
template <typename Request, typename Validate>
std::pair<std::string, Check> Entry(const std::string& method, Validate validate) {
  return {method, [validate](const Message& message) {
            return absl::Status(validate(static_cast<const Request&>(message)));
          }};
}

template <typename T>
absl::Status StatusOf(const absl::StatusOr<T>& result) {
  return result.status();
}

// What each handler runs before it reads or writes anything, by method name.
const std::map<std::string, Check>& Checks() {
  static const auto* checks = new std::map<std::string, Check>{
      Entry<v1::GetRequirementRequest>(
          "GetRequirement",
          [](auto& r) { return StatusOf(ParseRequirementName("name", r.name())); }),
      Entry<v1::ListRequirementsRequest>(
          "ListRequirements", [](auto& r) { return StatusOf(ParseListRequirements(r)); }),
      Entry<v1::UpdateRequirementRequest>(
          "UpdateRequirement", [](auto& r) { return StatusOf(ParseUpdateRequirement(r)); }),
      Entry<v1::ReviewRequirementRequest>(
          "ReviewRequirement",
          [](auto& r) { return StatusOf(ParseReviewRequirement(r, "fuzz", kNow)); }),
      Entry<v1::CreateEvidenceRequest>(
          "CreateEvidence", [](auto& r) { return StatusOf(ParseCreateEvidence(r, "", kNow)); }),
      Entry<v1::BatchCreateEvidenceRequest>(
          "BatchCreateEvidence",
          [](auto& r) { return StatusOf(ParseBatchCreateEvidence(r, kNow)); }),
      Entry<v1::GetEvidenceRequest>(
          "GetEvidence",
          [](auto& r) { return StatusOf(ParseUuidName("name", "evidence", r.name())); }),
      Entry<v1::ListEvidenceRequest>("ListEvidence",
                                     [](auto& r) { return StatusOf(ParseListEvidence(r)); }),
      Entry<v1::WithdrawEvidenceRequest>(
          "WithdrawEvidence", [](auto& r) { return StatusOf(ParseWithdrawEvidence(r)); }),
      Entry<v1::CreateActionRequest>("CreateAction",
                                     [](auto& r) { return StatusOf(ParseCreateAction(r)); }),
      Entry<v1::GetActionRequest>(
          "GetAction",
          [](auto& r) { return StatusOf(ParseUuidName("name", "actions", r.name())); }),
      Entry<v1::ListActionsRequest>("ListActions",
                                    [](auto& r) { return StatusOf(ParseListActions(r)); }),
      Entry<v1::UpdateActionRequest>("UpdateAction",
                                     [](auto& r) { return StatusOf(ParseUpdateAction(r)); }),
      Entry<v1::CompleteActionRequest>(
          "CompleteAction", [](auto& r) { return StatusOf(ParseCompleteActionRequest(r)); }),
      Entry<v1::CancelActionRequest>("CancelAction",
                                     [](auto& r) { return StatusOf(ParseCancelAction(r)); }),
      Entry<v1::ListAuditEventsRequest>("ListAuditEvents",
                                        [](auto& r) { return StatusOf(ParseListAuditEvents(r)); }),
      Entry<v1::WatchAuditEventsRequest>("WatchAuditEvents",
                                         [](auto& r) { return CheckWatchAuditEvents(r); }),
      Entry<v1::VerifyAuditLogRequest>("VerifyAuditLog", [](auto&) { return absl::OkStatus(); }),
      Entry<v1::GetCheckpointRequest>("GetCheckpoint", [](auto&) { return absl::OkStatus(); }),
      Entry<v1::GetInclusionProofRequest>("GetInclusionProof",
                                          [](auto& r) { return CheckInclusionProofRequest(r); }),
      Entry<v1::GetConsistencyProofRequest>(
          "GetConsistencyProof", [](auto& r) { return CheckConsistencyProofRequest(r); }),
      Entry<v1::GetReadinessRequest>(
          "GetReadiness", [](auto& r) { return CheckReportScope(r.framework(), r.clause()); }),
      Entry<v1::ExportAssessmentResultsRequest>(
          "ExportAssessmentResults",
          [](auto& r) { return CheckReportScope(r.framework(), r.clause()); }),
      Entry<v1::CreateWebhookRequest>(
          "CreateWebhook", [](auto& r) { return StatusOf(ParseCreateWebhook(r, true)); }),
      Entry<v1::GetWebhookRequest>("GetWebhook",
                                   [](auto& r) { return StatusOf(ParseWebhookName(r.name())); }),
      Entry<v1::ListWebhooksRequest>("ListWebhooks",
                                     [](auto& r) { return StatusOf(ParseListWebhooks(r)); }),
      Entry<v1::UpdateWebhookRequest>(
          "UpdateWebhook", [](auto& r) { return StatusOf(ParseUpdateWebhook(r, true)); }),
      Entry<v1::DeleteWebhookRequest>("DeleteWebhook",
                                      [](auto& r) { return StatusOf(ParseWebhookName(r.name())); }),
      Entry<v1::RotateWebhookSecretRequest>(
          "RotateWebhookSecret", [](auto& r) { return StatusOf(ParseWebhookName(r.name())); }),
      Entry<v1::ResumeWebhookRequest>("ResumeWebhook",
                                      [](auto& r) { return StatusOf(ParseWebhookName(r.name())); }),
  };
  return *checks;
}

// The services of the contract, whose every method the table must cover. They are found from
// the file of one of their messages, which also links that file's descriptors in.
const google::protobuf::ServiceDescriptor* const* Services() {
  static const google::protobuf::ServiceDescriptor* services[] = {
      v1::GetRequirementRequest::descriptor()->file()->FindServiceByName("RequirementService"),
      v1::GetEvidenceRequest::descriptor()->file()->FindServiceByName("EvidenceService"),
      v1::GetActionRequest::descriptor()->file()->FindServiceByName("ActionService"),
      v1::GetCheckpointRequest::descriptor()->file()->FindServiceByName("AuditService"),
      v1::GetReadinessRequest::descriptor()->file()->FindServiceByName("ReportService"),
      v1::GetWebhookRequest::descriptor()->file()->FindServiceByName("WebhookService"),
      nullptr};
  for (int i = 0; i < 6; ++i) FUZZ_CHECK(services[i] != nullptr, "a service of the contract");
  return services;
}

// The parts of a path, split at the dots outside brackets (a map key may hold dots).
std::vector<absl::string_view> PathParts(absl::string_view path) {
  std::vector<absl::string_view> parts;
  size_t start = 0;
  int depth = 0;
  for (size_t i = 0; i < path.size(); ++i) {
    if (path[i] == '[') ++depth;
    if (path[i] == ']') --depth;
    if (path[i] == '.' && depth == 0) {
      parts.push_back(path.substr(start, i - start));
      start = i + 1;
    }
  }
  parts.push_back(path.substr(start));
  return parts;
}

// True when `path` ("requests[2].evidence.source") walks fields of `message`.
bool IsFieldPath(const Descriptor* message, absl::string_view path) {
  for (absl::string_view part : PathParts(path)) {
    if (message == nullptr) return false;
    const size_t bracket = part.find('[');
    const auto* field = message->FindFieldByName(std::string(part.substr(0, bracket)));
    if (field == nullptr) return false;
    if (bracket != absl::string_view::npos && !field->is_repeated()) return false;
    message = field->message_type();
  }
  return true;
}

void CheckAnswer(const absl::Status& status, const Descriptor* request, const std::string& what) {
  if (status.ok()) return;
  FUZZ_CHECK(status.code() == absl::StatusCode::kInvalidArgument, what + ": " + status.ToString());
  const absl::string_view message = status.message();
  const size_t colon = message.find(": ");
  FUZZ_CHECK(colon != absl::string_view::npos, what + ": no field in " + std::string(message));
  const absl::string_view field = message.substr(0, colon);
  FUZZ_CHECK(field == "request" || IsFieldPath(request, field),
             what + ": \"" + std::string(field) + "\" is not a field of " + request->full_name());
  // What the client receives names the same field in a google.rpc.BadRequest detail.
  const auto split = SplitFieldError(message);
  FUZZ_CHECK(split && split->field == field,
             what + ": no BadRequest detail would name \"" + std::string(field) + "\"");
}

}  // namespace
}  // namespace compliance

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  using namespace compliance;
  InstallProtobufLogHandler();
  for (auto* const* service = Services(); *service != nullptr; ++service) {
    for (int i = 0; i < (*service)->method_count(); ++i) {
      const std::string& name = (*service)->method(i)->name();
      FUZZ_CHECK(Checks().count(name) == 1, "no validation fuzzed for " + name);
    }
  }
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace compliance;
  absl::string_view input(reinterpret_cast<const char*>(data), size);
  const size_t newline = input.find('\n');
  if (newline == absl::string_view::npos) return 0;
  const auto check = Checks().find(std::string(input.substr(0, newline)));
  if (check == Checks().end()) return 0;
  input.remove_prefix(newline + 1);
  const google::protobuf::MethodDescriptor* method = nullptr;
  for (auto* const* service = Services(); *service != nullptr && !method; ++service) {
    method = (*service)->FindMethodByName(check->first);
  }
  const Descriptor* type = method->input_type();
  std::unique_ptr<google::protobuf::Message> request(
      google::protobuf::MessageFactory::generated_factory()->GetPrototype(type)->New());
  const std::string full_method = "/" + method->service()->full_name() + "/" + method->name();
  if (!request->ParseFromArray(input.data(), static_cast<int>(input.size()))) {
    CheckAnswer(RequestParseError(full_method), type, full_method + " (unparsable)");
    return 0;
  }
  CheckAnswer(check->second(*request), type, full_method);
  return 0;
}
