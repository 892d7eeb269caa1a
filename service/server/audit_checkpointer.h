#pragma once

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/registry.h>

#include <optional>
#include <string>

#include "absl/time/time.h"
#include "domain/clock.h"
#include "domain/degraded_counts.h"
#include "domain/signed_note.h"
#include "server/audit_witness.h"
#include "store/audit_log_session.h"

namespace compliance {

/// Signs checkpoints of the audit log's Merkle tree for the sealer: when the tree has grown,
/// at most once a second. Before it signs, it checks that the new tree is consistent with the
/// last checkpoint it trusts (its own last one; at start the newest in the witness directory,
/// else the newest in the database that its key verifies), and refuses, loudly, a tree that
/// is not: a log rewritten in the database is then never signed. Each checkpoint goes to the
/// database (for GetCheckpoint) and to the witness directory.
class AuditCheckpointer {
 public:
  /// `signer` null: checkpoints carry no signature (--allow-unsigned-audit).
  /// A checkpoint the witness directory did not take is counted in `degraded`.
  AuditCheckpointer(std::optional<NoteSigner> signer, AuditWitnessDir witness, const Clock& clock,
                    prometheus::Registry& registry, DegradedCounts& degraded);

  /// The log's origin line: the key's name, or a fixed one when unsigned.
  const std::string& origin() const { return origin_; }

  /// Signs a checkpoint of the tree, in the sealer's session, when it has grown and the
  /// last one is a second old. Returns how long until it is worth calling again (infinite
  /// when the tree has not grown). Throws on database errors.
  absl::Duration MaybeSign(AuditLogSession& session);

 private:
  struct Trusted {
    int64_t size = 0;
    std::string root;
  };
  void LoadTrusted(AuditLogSession::TreeWork& work);
  std::optional<Trusted> Verified(const std::string& note, const char* where) const;
  void Refuse(const std::string& why);
  void Publish(int64_t size, absl::Time time);

  const std::optional<NoteSigner> signer_;
  const std::string verifier_key_;
  const std::string origin_;
  const AuditWitnessDir witness_;
  const Clock& clock_;
  DegradedCounts& degraded_;
  prometheus::Family<prometheus::Gauge>& size_family_;
  prometheus::Family<prometheus::Gauge>& time_family_;
  prometheus::Counter& refusals_;
  prometheus::Gauge* size_ = nullptr;  // made at the first checkpoint: absent until then
  prometheus::Gauge* time_ = nullptr;
  bool loaded_ = false;
  std::optional<Trusted> trusted_;
  absl::Time next_allowed_ = absl::InfinitePast();
  std::string last_refusal_;
};

}  // namespace compliance
