#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "client_options.h"

// The `audit` subcommands' flag values and what each subcommand does with them, apart from
// their registration (audit_command.cpp, audit_proof_command.cpp), so no file mixes flags with
// RPCs.
namespace compliance::cli {

/// Flag values of `audit list`, `follow` and `verify` (only one subcommand runs).
struct AuditArgs {
  int64_t after = 0;
  // list
  std::string resource;
  int limit = 0;
  // follow
  int64_t count = 0;
  // verify
  std::string key;
  std::vector<std::string> checkpoints;
};

/// `audit list`: prints the matching events, oldest first; returns the exit code.
int RunAuditList(const ClientOptions& options, const AuditArgs& args);

/// `audit follow` (audit_follow.cpp): prints events as they are sealed, each once and in
/// sequence, reconnecting when the stream ends, until Ctrl-C or --count; returns the exit code.
int RunAuditFollow(const ClientOptions& options, const AuditArgs& args);

/// `audit verify`: the server recomputes the hash chain; returns the exit code
/// (kAuditBrokenExitCode when the chain is broken).
int RunAuditVerify(const ClientOptions& options);

/// `audit verify --key VKEY [--checkpoint FILE|DIR …]` (audit_verify_signed.cpp): checks the
/// server's signed checkpoint, its consistency with every saved one, then every event against
/// the signed roots. Returns the exit code (kAuditBrokenExitCode when anything does not match).
int RunAuditVerifySigned(const ClientOptions& options, const std::string& key,
                         const std::vector<std::string>& checkpoints);

/// `audit checkpoint` (audit_proof_run.cpp): prints the newest signed checkpoint; returns the
/// exit code.
int RunAuditCheckpoint(const ClientOptions& options);

/// `audit prove RESOURCE [--key VKEY]` (audit_proof_run.cpp): prints each event of the resource
/// with its inclusion proof, checked with --key; returns the exit code (kAuditBrokenExitCode
/// when a proof fails).
int RunAuditProve(const ClientOptions& options, const std::string& resource,
                  const std::string& key);

/// `audit consistency FIRST [SECOND]` (audit_proof_run.cpp): prints the consistency proof
/// between two sizes of the log's tree; returns the exit code.
int RunAuditConsistency(const ClientOptions& options, int64_t first, int64_t second);

}  // namespace compliance::cli
