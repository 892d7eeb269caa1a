// `audit checkpoint`, `audit prove` and `audit consistency`: the signed tree's checkpoint and
// proofs, for an auditor's own checks.
#include <iostream>
#include <optional>

#include "absl/strings/escaping.h"
#include "api/audit_proto.h"
#include "audit_client.h"
#include "audit_command.h"
#include "audit_run.h"
#include "cli_values.h"
#include "compliance/v1/audit.grpc.pb.h"
#include "domain/merkle.h"
#include "output.h"
#include "paging.h"
#include "unary_call.h"

namespace compliance::cli {
namespace {

using v1::AuditService;

// With --key, the server's checkpoint into `trusted` once the key's signature on it verified.
// The exit code when --key is no verifier key (2) or did not sign it (kAuditBrokenExitCode,
// said on stdout).
std::optional<int> TrustCheckpoint(const std::string& key,
                                   const v1::GetCheckpointResponse& checkpoint,
                                   std::optional<TrustedCheckpoint>& trusted) {
  if (key.empty()) return std::nullopt;
  const auto verifier_key = VerifierKeyFlag(key);
  if (!verifier_key) return 2;
  auto opened = OpenCheckpoint(checkpoint.note(), *verifier_key, "the server's checkpoint");
  if (!opened.ok()) {
    std::cout << "BROKEN: the server's checkpoint is not signed by this key: "
              << opened.status().message() << "\n";
    return kAuditBrokenExitCode;
  }
  trusted = *opened;
  return std::nullopt;
}

// One event's inclusion proof as a line and its hashes; `checked`: whether a key checked it,
// `verified`: whether it held.
void PrintProof(const v1::AuditEvent& event, const v1::GetInclusionProofResponse& proof,
                bool checked, bool verified) {
  std::cout << "auditEvents/" << event.sequence() << "  " << ShortMethodName(event.method())
            << "  leaf " << proof.leaf_index() << " of " << proof.tree_size() << ": "
            << (checked ? (verified ? "included (verified)" : "NOT INCLUDED") : "proof") << "\n";
  for (const auto& hash : proof.hashes()) std::cout << "  " << absl::Base64Escape(hash) << "\n";
}

// Prints each of `events` that `checkpoint` covers with its inclusion proof, checked against
// `trusted` when there is one; returns the exit code.
int PrintProofs(const ClientOptions& options, AuditService::Stub& stub,
                const v1::GetCheckpointResponse& checkpoint,
                const std::optional<TrustedCheckpoint>& trusted,
                const v1::ListAuditEventsResponse& events) {
  std::string json = "{\"checkpoint\":" + JsonText(checkpoint) + ",\"proofs\":[";
  bool all_verified = true;
  for (const auto& event : events.audit_events()) {
    if (event.sequence() > checkpoint.tree_size()) break;  // sealed after the checkpoint
    v1::GetInclusionProofRequest request;
    request.set_sequence(event.sequence());
    request.set_tree_size(checkpoint.tree_size());
    v1::GetInclusionProofResponse proof;
    const grpc::Status status =
        CallOnce(options, stub, &AuditService::Stub::GetInclusionProof, request, &proof);
    if (!status.ok()) return ReportRpcError(status, options.server);
    // The leaf comes from the event as listed, so the proof speaks for what was shown.
    const std::vector<std::string> hashes(proof.hashes().begin(), proof.hashes().end());
    const bool verified =
        trusted && VerifyInclusion(event.sequence() - 1, trusted->size,
                                   AuditLeafHash(FromProto(event)), hashes, trusted->root);
    all_verified = all_verified && (!trusted || verified);
    if (options.json()) {
      if (json.back() != '[') json += ",";
      json += JsonText(proof);
      continue;
    }
    PrintProof(event, proof, trusted.has_value(), verified);
  }
  if (options.json()) std::cout << json << "]}\n";
  return all_verified ? 0 : kAuditBrokenExitCode;
}

}  // namespace

int RunAuditCheckpoint(const ClientOptions& options) {
  auto stub = AuditStub(options);
  v1::GetCheckpointResponse response;
  if (auto status = FetchCheckpoint(options, *stub, &response); !status.ok()) {
    return ReportRpcError(status, options.server);
  }
  if (options.json()) {
    PrintJson(response, std::cout);
  } else {
    std::cout << response.note();
  }
  return 0;
}

int RunAuditProve(const ClientOptions& options, const std::string& resource,
                  const std::string& key) {
  auto stub = AuditStub(options);
  v1::GetCheckpointResponse checkpoint;
  if (auto status = FetchCheckpoint(options, *stub, &checkpoint); !status.ok()) {
    return ReportRpcError(status, options.server);
  }
  std::optional<TrustedCheckpoint> trusted;
  if (auto exit_code = TrustCheckpoint(key, checkpoint, trusted)) return *exit_code;
  v1::ListAuditEventsRequest request;
  request.set_resource(ExpandRequirementName(resource));
  v1::ListAuditEventsResponse events;
  const grpc::Status listed = CollectPages(
      options, *stub, &AuditService::Stub::ListAuditEvents, request, 0,
      [](auto& response) { return response.mutable_audit_events(); }, &events);
  if (!listed.ok()) return ReportRpcError(listed, options.server);
  if (events.audit_events().empty()) {
    std::cerr << "error: no audit events on " << request.resource() << "\n";
    return 1;
  }
  return PrintProofs(options, *stub, checkpoint, trusted, events);
}

int RunAuditConsistency(const ClientOptions& options, int64_t first, int64_t second) {
  auto stub = AuditStub(options);
  v1::GetConsistencyProofRequest request;
  request.set_first_size(first);
  request.set_second_size(second);
  v1::GetConsistencyProofResponse proof;
  const grpc::Status status =
      CallOnce(options, *stub, &AuditService::Stub::GetConsistencyProof, request, &proof);
  if (!status.ok()) return ReportRpcError(status, options.server);
  if (options.json()) {
    PrintJson(proof, std::cout);
    return 0;
  }
  std::cout << "from " << proof.first_size() << " to " << proof.second_size() << " events, "
            << proof.hashes_size() << " hash(es):\n";
  for (const auto& hash : proof.hashes()) std::cout << "  " << absl::Base64Escape(hash) << "\n";
  return 0;
}

}  // namespace compliance::cli
