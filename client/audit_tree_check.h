#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "domain/audit.h"

namespace compliance::cli {

/// A checkpoint whose signature verified: the log had `size` events with this tree root.
struct TrustedCheckpoint {
  int64_t size = 0;
  std::string root;  ///< 32 raw bytes
  std::string from;  ///< where it came from, for messages ("the server", "cp.txt")
};

/// What `audit verify --key` concludes.
struct TreeVerdict {
  bool intact = true;
  int64_t verified_events = 0;
  int64_t first_broken_sequence = 0;  ///< 0 when intact
  std::string detail;
};

/// Recomputes, from the events alone, each event's hash chain link and the Merkle root of
/// every trusted size, and compares them: a signed root commits to every event before it, so
/// the first trusted size whose root differs bounds where the log was rewritten, and the one
/// before it, where it still matched. Feed it the events in ascending sequence.
class TreeCheck {
 public:
  explicit TreeCheck(std::vector<TrustedCheckpoint> trusted);

  /// The largest trusted size: the events to read.
  int64_t target() const;
  /// Checks the next event.
  void Add(const AuditEvent& event);
  /// The verdict once every event up to target() was given (fewer: the rest are missing).
  TreeVerdict Finish();

 private:
  void Break(int64_t sequence, std::string detail);
  void CompareRoots();

  std::vector<TrustedCheckpoint> trusted_;  // ascending size
  size_t next_trusted_ = 0;
  int64_t matched_size_ = 0;  // the largest trusted size whose root matched
  std::vector<std::pair<int, std::string>> frontier_;  // (level, hash) of the complete subtrees
  ChainVerifier chain_;
  int64_t size_ = 0;
  TreeVerdict verdict_;
};

}  // namespace compliance::cli
