#pragma once

#include <grpcpp/grpcpp.h>

#include <memory>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "audit_tree_check.h"
#include "client_options.h"
#include "compliance/v1/audit.grpc.pb.h"

// What the audit commands share: a stub for long answers, the server's newest checkpoint, and
// the verifier key of --key with the checkpoints it signed.
namespace compliance::cli {

/// A stub of the audit service over a channel that takes answers of any size: events carry
/// whole resources as JSON, and a page of 1000, or the proofs of a long log, may exceed gRPC's
/// default 4 MB per message.
std::unique_ptr<v1::AuditService::Stub> AuditStub(const ClientOptions& options);

/// Asks the server for its newest signed checkpoint.
grpc::Status FetchCheckpoint(const ClientOptions& options, v1::AuditService::Stub& stub,
                             v1::GetCheckpointResponse* response);

/// The bytes of a file; nullopt when it cannot be read.
std::optional<std::string> ReadFileBytes(const std::string& path);

/// The verifier key --key gives: the key itself, or a file holding it. nullopt, with the
/// problem on stderr, when that is no verifier key.
std::optional<std::string> VerifierKeyFlag(const std::string& key);

/// The checkpoint a signed note states, when `verifier_key` signed it; `from` names the note in
/// messages.
absl::StatusOr<TrustedCheckpoint> OpenCheckpoint(const std::string& note,
                                                 const std::string& verifier_key,
                                                 const std::string& from);

}  // namespace compliance::cli
