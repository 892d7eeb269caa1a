#include "audit_command.h"

#include <memory>

#include "audit_proof_command.h"
#include "audit_run.h"

namespace compliance::cli {
namespace {

// One function a subcommand registers its flags and help; what it runs is in audit_run.cpp,
// audit_follow.cpp and audit_verify_signed.cpp, so the flag list of a subcommand reads apart
// from its RPCs.

// `audit list`.
void AddListCommand(CLI::App& group, const std::shared_ptr<AuditArgs>& args,
                    const ClientOptions& options, int& exit_code) {
  auto* list = group.add_subcommand("list", "list audit events, oldest first");
  list->footer(
      "METHOD is the RPC's short name; --output json prints every event read, hashes included,\n"
      "as one ListAuditEventsResponse (docs/audit-log.md shows how to check them yourself).\n\n"
      "Example: compliancectl audit list --after 100 --resource 5.1.a --limit 20\n");
  list->add_option("--after", args->after, "only events with a greater sequence")
      ->check(CLI::NonNegativeNumber);
  list->add_option("--resource", args->resource,
                   "only events on this resource: 5.1.a, a requirement's full name, "
                   "evidence/UUID, actions/UUID or tokens/NAME");
  list->add_option("--limit", args->limit, "at most this many; default all")
      ->check(CLI::NonNegativeNumber);
  list->callback([&options, &exit_code, args] { exit_code = RunAuditList(options, *args); });
}

// `audit follow`.
void AddFollowCommand(CLI::App& group, const std::shared_ptr<AuditArgs>& args,
                      const ClientOptions& options, int& exit_code) {
  auto* follow = group.add_subcommand("follow", "print audit events as they happen, until Ctrl-C");
  follow->footer(
      "Replays the events after --after, then prints new ones as they are sealed, one line\n"
      "each (with --output json one WatchAuditEventsResponse per line: JSON Lines). When the\n"
      "connection drops or the server shuts down it reconnects (200ms, doubling, up to 5s\n"
      "apart; a note on stderr) and resumes after the last event printed: every event is\n"
      "printed once, in sequence. --timeout limits each connection attempt, not the stream;\n"
      "when the server cannot be reached at the start it exits with 1. Ctrl-C ends it (exit 0).\n\n"
      "Example: compliancectl --output json audit follow --after 1200 >> audit.jsonl\n");
  follow->add_option("--after", args->after, "start after this sequence; 0 replays the whole log")
      ->check(CLI::NonNegativeNumber);
  follow->add_option("--count", args->count, "stop after this many events; default never")
      ->check(CLI::NonNegativeNumber);
  follow->callback([&options, &exit_code, args] { exit_code = RunAuditFollow(options, *args); });
}

// `audit verify`.
void AddVerifyCommand(CLI::App& group, const std::shared_ptr<AuditArgs>& args,
                      const ClientOptions& options, int& exit_code) {
  auto* verify = group.add_subcommand(
      "verify", "recompute the hash chain on the server; exit 3 when it is broken");
  verify->footer(
      "Prints \"intact: N events verified\" and exits 0, or \"BROKEN at sequence S: what\" and\n"
      "exits 3, so that a pipeline can gate on it (1 is a failed call). A long log may need a\n"
      "longer --timeout.\n\n"
      "With --key it trusts nothing the database says: it checks the server's checkpoint\n"
      "signature, the consistency proof from each --checkpoint to it, then recomputes every\n"
      "event's leaf and the signed roots on this machine, and names the first sequence that\n"
      "does not match (docs/audit-log.md).\n\n"
      "Example: compliancectl --timeout 5m audit verify\n"
      "         compliancectl audit verify --key audit.pub --checkpoint "
      "checkpoint-2026-11-30.txt\n");
  verify->add_option("--key", args->key,
                     "verifier key of the server's audit signing key, or a file holding it: "
                     "check the signed Merkle tree here instead");
  verify
      ->add_option("--checkpoint", args->checkpoints,
                   "with --key: a saved checkpoint, or a witness directory of them, that the "
                   "log must still extend (repeatable)")
      ->needs("--key");
  verify->callback([&options, &exit_code, args] {
    exit_code = args->key.empty() ? RunAuditVerify(options)
                                  : RunAuditVerifySigned(options, args->key, args->checkpoints);
  });
}

}  // namespace

void AddAuditCommands(CLI::App& app, const ClientOptions& options, int& exit_code) {
  auto args = std::make_shared<AuditArgs>();
  auto* group = app.add_subcommand("audit", "read, follow and verify the tamper-evident audit log");
  group->require_subcommand(1);
  group->footer("Example: compliancectl audit list --resource 5.1.a\n");
  AddListCommand(*group, args, options, exit_code);
  AddFollowCommand(*group, args, options, exit_code);
  AddVerifyCommand(*group, args, options, exit_code);
  AddAuditProofCommands(*group, options, exit_code);
}

}  // namespace compliance::cli
