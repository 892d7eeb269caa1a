#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace compliance {

/// What a mutation records about itself, before it is sealed into the log.
struct AuditEntry {
  std::string actor;
  std::string method;  ///< full gRPC method name
  std::string resource;
  std::string request_id;
  std::string before_json;  ///< empty for a creation
  std::string after_json;
};

/// Renders a mutation of a T as its audit entry; `before` is null for a creation. Injected by
/// the API layer, which owns the resources' JSON form, and called inside the mutation.
template <typename T>
using AuditFn = std::function<AuditEntry(const T* before, const T& after)>;

/// A sealed event of the log.
struct AuditEvent {
  int64_t sequence = 0;
  absl::Time time;
  AuditEntry entry;
  std::string prev_hash;
  std::string hash;
};

/// prev_hash of the first event: 64 zeros.
inline const std::string kGenesisHash(64, '0');

/// The event's canonical encoding: every field but the hashes, each length-prefixed (see
/// docs/audit-log.md). The chain hashes it after `prev_hash`; the Merkle tree's leaf is its
/// RFC 9162 leaf hash.
std::string AuditCanonical(int64_t sequence, absl::Time time, const AuditEntry& entry);

/// The event's leaf in the log's Merkle tree: SHA-256(0x00 || canonical encoding), raw.
std::string AuditLeafHash(const AuditEvent& event);

/// Lowercase hex SHA-256 over `prev_hash` and the event's canonical encoding (see
/// docs/audit-log.md, which lets a third party verify the chain without this code).
std::string AuditChainHash(absl::string_view prev_hash, absl::string_view canonical);

/// AuditChainHash of the event made of `sequence`, `time` and `entry`.
std::string AuditHash(const std::string& prev_hash, int64_t sequence, absl::Time time,
                      const AuditEntry& entry);

/// Walks a chain in sequence order and remembers where it first breaks.
class ChainVerifier {
 public:
  /// Checks the next event read in ascending sequence order.
  void Add(const AuditEvent& event);

  bool intact() const { return first_broken_ == 0; }
  int64_t verified() const { return verified_; }
  int64_t first_broken() const { return first_broken_; }
  const std::string& detail() const { return detail_; }
  /// Hash of the last event that verified (the genesis hash before any).
  const std::string& last_hash() const { return previous_hash_; }

 private:
  void Break(int64_t sequence, std::string detail);

  int64_t expected_sequence_ = 1;
  std::string previous_hash_ = kGenesisHash;
  int64_t verified_ = 0;
  int64_t first_broken_ = 0;
  std::string detail_;
};

}  // namespace compliance
