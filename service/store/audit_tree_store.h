#pragma once

#include <cstdint>
#include <optional>
#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "domain/audit.h"
#include "domain/merkle.h"
#include "store/connection_pool.h"

namespace compliance {

/// A checkpoint as the database keeps it.
struct StoredCheckpoint {
  int64_t tree_size = 0;
  std::string root;  ///< 32 raw bytes
  std::string note;  ///< the signed note (the bare body when unsigned)
  absl::Time sign_time;
};

/// An event with its inclusion proof.
struct InclusionProof {
  AuditEvent event;
  int64_t tree_size = 0;
  std::vector<std::string> hashes;
};

/// A consistency proof between two tree sizes.
struct ConsistencyProof {
  int64_t first_size = 0;
  int64_t second_size = 0;
  std::vector<std::string> hashes;
};

/// Thrown when the stored tree does not end where the log does (a tree still to be built
/// for events sealed before it existed, or rows taken away): the sealer extends it first.
class TreeOutOfStep : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// The audit log's Merkle tree and its signed checkpoints: one row per complete subtree, so
/// that a root or a proof reads O(log n) rows in one round trip.
class AuditTreeStore {
 public:
  explicit AuditTreeStore(ConnectionPool& pool) : pool_(pool) {}

  /// Prepares this store's statements on a new connection.
  static void Prepare(pqxx::connection& connection);

  /// How many leaves the stored tree has.
  static int64_t TreeSize(pqxx::transaction_base& work);
  /// The hashes of `nodes`, in their order; throws TreeOutOfStep when one is not stored.
  static std::vector<std::string> NodeHashes(pqxx::transaction_base& work,
                                             const std::vector<TreeNode>& nodes);
  /// The hashes of `ranges`, in their order, from one read of the nodes they consist of.
  static std::vector<std::string> RangeHashes(pqxx::transaction_base& work,
                                              const std::vector<LeafRange>& ranges);
  /// The root of the tree's first `size` leaves.
  static std::string Root(pqxx::transaction_base& work, int64_t size);
  /// The nodes as the json array that the seal and extend statements insert.
  static std::string NodesJson(const std::vector<HashedNode>& nodes);
  /// Builds the tree for up to `limit` sealed events beyond it, in one transaction; returns
  /// how many leaves it added. Only the sealer calls it.
  static int Extend(pqxx::connection& connection, int limit);

  /// The newest checkpoint, if any.
  static std::optional<StoredCheckpoint> Latest(pqxx::transaction_base& work);
  /// Records a new checkpoint.
  static void Record(pqxx::transaction_base& work, const StoredCheckpoint& checkpoint);

  /// The newest checkpoint, for GetCheckpoint.
  absl::StatusOr<std::optional<StoredCheckpoint>> LatestCheckpoint(absl::Time deadline);
  /// The event `sequence` and its inclusion proof in the tree of `tree_size` leaves (0: the
  /// newest checkpoint's size). INVALID_ARGUMENT naming the field for a size beyond the tree.
  absl::StatusOr<InclusionProof> Inclusion(int64_t sequence, int64_t tree_size,
                                           absl::Time deadline);
  /// The consistency proof from `first_size` to `second_size` (0: the newest checkpoint's).
  absl::StatusOr<ConsistencyProof> Consistency(int64_t first_size, int64_t second_size,
                                               absl::Time deadline);

 private:
  ConnectionPool& pool_;
};

}  // namespace compliance
