#include "domain/audit.h"

#include "absl/strings/str_cat.h"
#include "domain/canonical.h"
#include "domain/merkle.h"
#include "domain/sha256.h"

namespace compliance {

std::string AuditCanonical(int64_t sequence, absl::Time time, const AuditEntry& entry) {
  std::string canonical;
  AppendField(canonical, "compliance-audit-v1");
  AppendField(canonical, absl::StrCat(sequence));
  AppendField(canonical, absl::StrCat(absl::ToUnixMicros(time)));
  AppendField(canonical, entry.actor);
  AppendField(canonical, entry.method);
  AppendField(canonical, entry.resource);
  AppendField(canonical, entry.request_id);
  AppendField(canonical, entry.before_json);
  AppendField(canonical, entry.after_json);
  return canonical;
}

std::string AuditLeafHash(const AuditEvent& event) {
  return MerkleLeafHash(AuditCanonical(event.sequence, event.time, event.entry));
}

std::string AuditChainHash(absl::string_view prev_hash, absl::string_view canonical) {
  return Sha256Hex({prev_hash, canonical});
}

std::string AuditHash(const std::string& prev_hash, int64_t sequence, absl::Time time,
                      const AuditEntry& entry) {
  return AuditChainHash(prev_hash, AuditCanonical(sequence, time, entry));
}

void ChainVerifier::Add(const AuditEvent& event) {
  if (first_broken_ != 0) return;
  if (event.sequence != expected_sequence_) {
    Break(expected_sequence_,
          event.sequence > expected_sequence_
              ? absl::StrCat("event ", expected_sequence_,
                             " is missing (deleted); the log jumps to ", event.sequence)
              : absl::StrCat("event ", event.sequence, " appears out of order after ",
                             expected_sequence_ - 1));
    return;
  }
  if (event.prev_hash != previous_hash_) {
    Break(event.sequence, absl::StrCat("event ", event.sequence,
                                       " does not follow the event before it (prev_hash differs; "
                                       "events were reordered or removed)"));
    return;
  }
  if (AuditHash(event.prev_hash, event.sequence, event.time, event.entry) != event.hash) {
    Break(event.sequence, absl::StrCat("event ", event.sequence,
                                       " was altered: its content no longer matches its hash"));
    return;
  }
  previous_hash_ = event.hash;
  ++expected_sequence_;
  ++verified_;
}

void ChainVerifier::Break(int64_t sequence, std::string detail) {
  first_broken_ = sequence;
  detail_ = std::move(detail);
}

}  // namespace compliance
