#include "audit_proof_command.h"

#include <cstdint>
#include <memory>
#include <utility>

#include "audit_run.h"

namespace compliance::cli {
namespace {

// One function a subcommand registers its flags and help; what it runs is in
// audit_proof_run.cpp.

// `audit checkpoint`.
void AddCheckpointCommand(CLI::App& group, const ClientOptions& options, int& exit_code) {
  auto* checkpoint = group.add_subcommand(
      "checkpoint", "print the newest signed checkpoint of the log's Merkle tree");
  checkpoint->footer(
      "Prints the checkpoint as a signed note (origin, tree size, base64 root, signature).\n"
      "Keep it: `audit verify --key VKEY --checkpoint FILE` later proves that the log still\n"
      "holds every event it covered, unchanged.\n\n"
      "Example: compliancectl audit checkpoint > checkpoint-$(date +%F).txt\n");
  checkpoint->callback([&options, &exit_code] { exit_code = RunAuditCheckpoint(options); });
}

// `audit prove`.
void AddProveCommand(CLI::App& group, const ClientOptions& options, int& exit_code) {
  auto resource = std::make_shared<std::string>();
  auto key = std::make_shared<std::string>();
  auto* prove =
      group.add_subcommand("prove", "print each event of one resource with its inclusion proof");
  prove
      ->add_option("resource", *resource,
                   "5.1.a, a requirement's full name, evidence/UUID, actions/UUID or tokens/NAME")
      ->required();
  prove->add_option("--key", *key,
                    "verifier key (or a file holding it): also check each proof and exit 3 "
                    "when one fails");
  prove->footer(
      "For every event on the resource, the RFC 9162 inclusion proof against the newest signed\n"
      "checkpoint: with the event's canonical bytes and the checkpoint, an auditor can check\n"
      "it with no other data (docs/audit-log.md). --output json prints the checkpoint and\n"
      "every GetInclusionProofResponse.\n\n"
      "Example: compliancectl audit prove evidence/3f0c… --key audit.pub\n");
  prove->callback([&options, &exit_code, resource, key] {
    exit_code = RunAuditProve(options, *resource, *key);
  });
}

// `audit consistency`.
void AddConsistencyCommand(CLI::App& group, const ClientOptions& options, int& exit_code) {
  auto sizes = std::make_shared<std::pair<int64_t, int64_t>>(0, 0);
  auto* consistency = group.add_subcommand(
      "consistency", "print the consistency proof between two sizes of the log's tree");
  consistency->add_option("first", sizes->first, "the smaller tree size")
      ->required()
      ->check(CLI::PositiveNumber);
  consistency->add_option("second", sizes->second, "the larger; default the newest checkpoint's")
      ->check(CLI::NonNegativeNumber);
  consistency->footer(
      "The RFC 9162 consistency proof that the tree of SECOND events extends the tree of FIRST\n"
      "unchanged (`audit verify --key` checks it for you; this is for your own verifier).\n\n"
      "Example: compliancectl --output json audit consistency 1200\n");
  consistency->callback([&options, &exit_code, sizes] {
    exit_code = RunAuditConsistency(options, sizes->first, sizes->second);
  });
}

}  // namespace

void AddAuditProofCommands(CLI::App& audit, const ClientOptions& options, int& exit_code) {
  AddCheckpointCommand(audit, options, exit_code);
  AddProveCommand(audit, options, exit_code);
  AddConsistencyCommand(audit, options, exit_code);
}

}  // namespace compliance::cli
