#pragma once

#include <CLI/CLI.hpp>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "client_options.h"
#include "compliance/v1/audit.pb.h"

namespace compliance::cli {

/// Adds `audit list|follow|verify`; the chosen one stores its exit code.
void AddAuditCommands(CLI::App& app, const ClientOptions& options, int& exit_code);

/// Exit code of `audit verify` when the chain is broken, so that a pipeline can gate on it.
inline constexpr int kAuditBrokenExitCode = 3;

/// `CreateEvidence` from `/compliance.v1.EvidenceService/CreateEvidence`: what follows the last
/// '/'.
std::string ShortMethodName(absl::string_view method);

/// The cells SEQ, TIME, ACTOR, METHOD, RESOURCE of one event, each on one line ("-" for empty).
std::vector<std::string> AuditEventCells(const v1::AuditEvent& event);

/// `cells` on one line in the fixed-width columns of `audit follow`, without a line break.
std::string AuditFollowLine(const std::vector<std::string>& cells);

/// The wait before the next reconnect of `audit follow`, given the last one (zero before the
/// first): 200 ms, then doubling up to 5 s.
absl::Duration NextReconnectDelay(absl::Duration previous);

/// Keeps `audit follow` exactly-once: it remembers the last sequence printed and judges each
/// sequence that arrives.
class SequenceCheck {
 public:
  enum class Verdict {
    kNext,    ///< the last one plus one: print it
    kGap,     ///< beyond that: print it, but say events are missing
    kRepeat,  ///< already printed (or older): drop it
  };
  /// `after`: the sequence printed last (the --after cursor at first).
  explicit SequenceCheck(int64_t after) : last_(after) {}
  /// Judges `sequence`; kNext and kGap make it the last one printed.
  Verdict Accept(int64_t sequence);
  int64_t last() const { return last_; }

 private:
  int64_t last_;
};

}  // namespace compliance::cli
