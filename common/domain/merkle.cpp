#include "domain/merkle.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "domain/sha256.h"

namespace compliance {
namespace {

constexpr size_t kHashSize = 32;  // SHA-256

// The k of RFC 9162's split: the largest power of two smaller than `n`. Requires n > 1.
int64_t SplitPoint(int64_t n) {
  int64_t k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

bool IsHash(absl::string_view hash) { return hash.size() == kHashSize; }

bool AllHashes(const std::vector<std::string>& hashes) {
  return std::all_of(hashes.begin(), hashes.end(), [](const std::string& h) { return IsHash(h); });
}

}  // namespace

std::string MerkleLeafHash(absl::string_view data) {
  return Sha256({absl::string_view("\x00", 1), data});
}

std::string MerkleNodeHash(absl::string_view left, absl::string_view right) {
  return Sha256({"\x01", left, right});
}

std::string MerkleEmptyRoot() { return Sha256(""); }

std::vector<TreeNode> RangeNodes(LeafRange range) {
  std::vector<TreeNode> nodes;
  if (range.begin < 0) return nodes;
  int64_t begin = range.begin;
  while (begin < range.end) {
    // The largest subtree that starts at `begin` and still fits: for the ranges RFC 9162
    // needs, `begin` is aligned to the range's length, so these come out largest first.
    int level = 0;
    while (level < 62 && ((begin >> level) & 1) == 0 &&
           begin + (int64_t{2} << level) <= range.end) {
      ++level;
    }
    nodes.push_back(TreeNode{level, begin >> level});
    begin += int64_t{1} << level;
  }
  return nodes;
}

std::string FoldRange(const std::vector<std::string>& node_hashes) {
  if (node_hashes.empty()) return MerkleEmptyRoot();
  std::string hash = node_hashes.back();
  for (auto it = node_hashes.rbegin() + 1; it != node_hashes.rend(); ++it) {
    hash = MerkleNodeHash(*it, hash);
  }
  return hash;
}

std::vector<HashedNode> AppendLeaves(int64_t old_size, const std::vector<std::string>& frontier,
                                     const std::vector<std::string>& leaf_hashes) {
  std::vector<HashedNode> added;
  const std::vector<TreeNode> frontier_nodes = RangeNodes({0, old_size});
  if (old_size < 0 || frontier_nodes.size() != frontier.size()) return added;

  // The frontier is a stack of subtrees of strictly decreasing level; a new leaf completes a
  // node whenever the two subtrees on top have the same level.
  std::vector<HashedNode> stack;
  for (size_t i = 0; i < frontier.size(); ++i) stack.push_back({frontier_nodes[i], frontier[i]});
  int64_t index = old_size;
  for (const std::string& leaf_hash : leaf_hashes) {
    stack.push_back({TreeNode{0, index++}, leaf_hash});
    added.push_back(stack.back());
    while (stack.size() >= 2 && stack[stack.size() - 2].node.level == stack.back().node.level) {
      HashedNode right = std::move(stack.back());
      stack.pop_back();
      HashedNode& left = stack.back();
      left.node = TreeNode{right.node.level + 1, right.node.index >> 1};
      left.hash = MerkleNodeHash(left.hash, right.hash);
      added.push_back(left);
    }
  }
  return added;
}

std::vector<LeafRange> InclusionProofRanges(int64_t leaf_index, int64_t tree_size) {
  std::vector<LeafRange> ranges;
  if (leaf_index < 0 || leaf_index >= tree_size) return ranges;
  // PATH(m, D[lo:hi]) walked from the root down; the proof lists the siblings bottom up.
  int64_t lo = 0;
  int64_t hi = tree_size;
  while (hi - lo > 1) {
    const int64_t k = SplitPoint(hi - lo);
    if (leaf_index < lo + k) {
      ranges.push_back({lo + k, hi});
      hi = lo + k;
    } else {
      ranges.push_back({lo, lo + k});
      lo += k;
    }
  }
  std::reverse(ranges.begin(), ranges.end());
  return ranges;
}

std::vector<LeafRange> ConsistencyProofRanges(int64_t first_size, int64_t second_size) {
  std::vector<LeafRange> ranges;
  if (first_size <= 0 || first_size > second_size) return ranges;
  // SUBPROOF(m, D[lo:hi], b) walked from the root down, where lo + m stays first_size; b turns
  // false once the walk leaves the left edge of the tree.
  int64_t lo = 0;
  int64_t hi = second_size;
  bool on_left_edge = true;
  while (hi != first_size) {
    const int64_t k = SplitPoint(hi - lo);
    if (first_size - lo <= k) {
      ranges.push_back({lo + k, hi});
      hi = lo + k;
    } else {
      ranges.push_back({lo, lo + k});
      lo += k;
      on_left_edge = false;
    }
  }
  // The old tree's subtree D[lo:first_size] itself, unless the verifier already has it as
  // the first root.
  if (!on_left_edge) ranges.push_back({lo, hi});
  std::reverse(ranges.begin(), ranges.end());
  return ranges;
}

bool VerifyInclusion(int64_t leaf_index, int64_t tree_size, absl::string_view leaf_hash,
                     const std::vector<std::string>& proof, absl::string_view root) {
  if (leaf_index < 0 || leaf_index >= tree_size) return false;
  if (!IsHash(leaf_hash) || !IsHash(root) || !AllHashes(proof)) return false;
  int64_t fn = leaf_index;
  int64_t sn = tree_size - 1;
  std::string r(leaf_hash);
  for (const std::string& p : proof) {
    if (sn == 0) return false;
    if ((fn & 1) == 1 || fn == sn) {
      r = MerkleNodeHash(p, r);
      while ((fn & 1) == 0 && fn != 0) {
        fn >>= 1;
        sn >>= 1;
      }
    } else {
      r = MerkleNodeHash(r, p);
    }
    fn >>= 1;
    sn >>= 1;
  }
  return sn == 0 && r == root;
}

bool VerifyConsistency(int64_t first_size, int64_t second_size, absl::string_view first_root,
                       absl::string_view second_root, const std::vector<std::string>& proof) {
  if (first_size < 0 || first_size > second_size) return false;
  if (first_size == second_size) return proof.empty() && first_root == second_root;
  if (first_size == 0) return proof.empty();
  if (proof.empty() || !IsHash(first_root) || !IsHash(second_root) || !AllHashes(proof)) {
    return false;
  }

  std::vector<std::string> path;
  const bool power_of_two = (first_size & (first_size - 1)) == 0;
  if (power_of_two) path.emplace_back(first_root);
  path.insert(path.end(), proof.begin(), proof.end());

  int64_t fn = first_size - 1;
  int64_t sn = second_size - 1;
  while ((fn & 1) == 1) {
    fn >>= 1;
    sn >>= 1;
  }
  std::string fr = path[0];
  std::string sr = path[0];
  for (size_t i = 1; i < path.size(); ++i) {
    const std::string& c = path[i];
    if (sn == 0) return false;
    if ((fn & 1) == 1 || fn == sn) {
      fr = MerkleNodeHash(c, fr);
      sr = MerkleNodeHash(c, sr);
      while ((fn & 1) == 0 && fn != 0) {
        fn >>= 1;
        sn >>= 1;
      }
    } else {
      sr = MerkleNodeHash(sr, c);
    }
    fn >>= 1;
    sn >>= 1;
  }
  return sn == 0 && fr == first_root && sr == second_root;
}

}  // namespace compliance
