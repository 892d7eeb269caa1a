#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace compliance {

// The audit log's Merkle tree, hashed as RFC 9162 section 2.1 says. Hashes are the 32 raw
// bytes of a SHA-256. Leaf i is the event with sequence i + 1.

/// SHA-256(0x00 || data): the hash of one leaf.
std::string MerkleLeafHash(absl::string_view data);

/// SHA-256(0x01 || left || right): the hash of an interior node.
std::string MerkleNodeHash(absl::string_view left, absl::string_view right);

/// SHA-256 of nothing: the root of the empty tree.
std::string MerkleEmptyRoot();

/// A complete subtree: the node at `level` (0 for leaves) and `index` covers the leaves
/// [index << level, (index + 1) << level). The database stores one row per such node.
struct TreeNode {
  int level = 0;
  int64_t index = 0;
  bool operator==(const TreeNode& other) const {
    return level == other.level && index == other.index;
  }
  bool operator<(const TreeNode& other) const {
    return level != other.level ? level < other.level : index < other.index;
  }
};

/// A node with its hash.
struct HashedNode {
  TreeNode node;
  std::string hash;
};

/// The leaves [begin, end) of a tree, where a proof needs the hash of such a range.
struct LeafRange {
  int64_t begin = 0;
  int64_t end = 0;
  bool operator==(const LeafRange& other) const { return begin == other.begin && end == other.end; }
};

/// The fewest complete subtrees that make up `range`, left to right (none when it is empty or
/// invalid). Every range that a root or a proof of RFC 9162 needs starts at a multiple of a
/// power of two at least its length, so it decomposes into O(log n) stored nodes, largest
/// first: the binary decomposition of its length.
std::vector<TreeNode> RangeNodes(LeafRange range);

/// The hash of a range from the hashes of its RangeNodes, in their order (folded from the
/// right, as RFC 9162's split at the largest power of two does); this is the range's MTH for
/// the ranges RFC 9162 needs. An empty list is the empty tree's root.
std::string FoldRange(const std::vector<std::string>& node_hashes);

/// Every node that a tree of `old_size` leaves gains when `leaf_hashes` are appended: the
/// leaves themselves and each interior node they complete, in the order they are completed.
/// `frontier` holds the hashes of RangeNodes({0, old_size}), in order; nothing is returned
/// when it has the wrong number of hashes.
std::vector<HashedNode> AppendLeaves(int64_t old_size, const std::vector<std::string>& frontier,
                                     const std::vector<std::string>& leaf_hashes);

/// The ranges whose hashes form the inclusion proof of `leaf_index` in a tree of `tree_size`
/// (RFC 9162 2.1.3.1), in proof order. Requires 0 <= leaf_index < tree_size (empty otherwise).
std::vector<LeafRange> InclusionProofRanges(int64_t leaf_index, int64_t tree_size);

/// The ranges whose hashes form the consistency proof from `first_size` to `second_size`
/// (RFC 9162 2.1.4.1), in proof order. Requires 0 < first_size <= second_size (empty
/// otherwise); empty when the sizes are equal.
std::vector<LeafRange> ConsistencyProofRanges(int64_t first_size, int64_t second_size);

/// Checks an inclusion proof as RFC 9162 2.1.3.2 says; every hash must be 32 bytes.
bool VerifyInclusion(int64_t leaf_index, int64_t tree_size, absl::string_view leaf_hash,
                     const std::vector<std::string>& proof, absl::string_view root);

/// Checks a consistency proof as RFC 9162 2.1.4.2 says. Equal sizes need an empty proof and
/// equal roots; a first size of 0 is consistent with anything (and needs an empty proof).
bool VerifyConsistency(int64_t first_size, int64_t second_size, absl::string_view first_root,
                       absl::string_view second_root, const std::vector<std::string>& proof);

}  // namespace compliance
