#pragma once

#include <string>
#include <vector>

#include "client_options.h"

// The `evidence` subcommands' flag values and what each subcommand does with them, apart from
// their registration (evidence_command.cpp), so neither file mixes flags with RPCs.
namespace compliance::cli {

/// Flag values of the evidence subcommands (only one subcommand runs).
struct EvidenceArgs {
  std::string name;
  // add
  std::vector<std::string> requirements;
  std::string kind;
  std::string title;
  std::string uri;
  std::string description;
  std::string sha256;
  std::string file;
  std::string source;
  std::string external_id;
  std::string collect_time;
  std::string expire_time;
  std::vector<std::string> labels;
  std::string supersedes;
  std::string request_id;
  // list
  std::string requirement;
  std::string state;
  bool include_expired = false;
  int limit = 0;
  // withdraw
  std::string reason;
  std::string etag;
};

/// `evidence add`: records the evidence and prints it (or the record it repeats); returns the
/// exit code.
int RunEvidenceAdd(const ClientOptions& options, const EvidenceArgs& args);
/// `evidence get`: prints one piece of evidence; returns the exit code.
int RunEvidenceGet(const ClientOptions& options, const EvidenceArgs& args);
/// `evidence list`: prints the matching evidence, newest first; returns the exit code.
int RunEvidenceList(const ClientOptions& options, const EvidenceArgs& args);
/// `evidence withdraw`: withdraws the evidence with a reason; returns the exit code.
int RunEvidenceWithdraw(const ClientOptions& options, const EvidenceArgs& args);

}  // namespace compliance::cli
