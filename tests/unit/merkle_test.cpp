#include "domain/merkle.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "reference_merkle.h"

namespace compliance {
namespace {

std::string Hex(absl::string_view bytes) { return absl::BytesToHexString(bytes); }
std::string Unhex(absl::string_view hex) { return absl::HexStringToBytes(hex); }

// RFC 6962 test data, from transparency-dev/merkle testonly/constants.go (LeafInputs,
// NodeHashes and RootHashes), the same trees google/certificate-transparency tests with.
std::vector<std::string> ReferenceLeaves() {
  std::vector<std::string> leaves;
  for (const char* hex : {"", "00", "10", "2021", "3031", "40414243", "5051525354555657",
                          "606162636465666768696a6b6c6d6e6f"}) {
    leaves.push_back(Unhex(hex));
  }
  return leaves;
}

const char* const kReferenceRoots[] = {
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
};

// Indexed by level, then index within the level.
const std::vector<std::vector<const char*>> kReferenceNodes = {
    {"6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
     "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
     "0298d122906dcfc10892cb53a73992fc5b9f493ea4c9badb27b791b4127a7fe7",
     "07506a85fd9dd2f120eb694f86011e5bb4662e5c415a62917033d4a9624487e7",
     "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
     "4271a26be0d8a84f0bd54c8c302e7cb3a3b5d1fa6780a40bcce2873477dab658",
     "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
     "46f6ffadd3d06a09ff3c5860d2755c8b9819db7df44251788c7d8e3180de8eb1"},
    {"fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
     "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
     "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
     "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0"},
    {"d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
     "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"},
    {"5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"},
};

std::vector<std::string> LeafHashes(const std::vector<std::string>& leaves) {
  std::vector<std::string> hashes;
  for (const auto& leaf : leaves) hashes.push_back(MerkleLeafHash(leaf));
  return hashes;
}

// Builds the tree with AppendLeaves, `batch_sizes` leaves at a time, as the service does.
std::map<TreeNode, std::string> BuildTree(const std::vector<std::string>& leaf_hashes,
                                          const std::vector<size_t>& batch_sizes) {
  std::map<TreeNode, std::string> nodes;
  size_t size = 0;
  for (size_t batch : batch_sizes) {
    std::vector<std::string> frontier;
    for (const auto& node : RangeNodes({0, static_cast<int64_t>(size)})) {
      frontier.push_back(nodes.at(node));
    }
    const std::vector<std::string> batch_hashes(leaf_hashes.begin() + size,
                                                leaf_hashes.begin() + size + batch);
    for (auto& added : AppendLeaves(size, frontier, batch_hashes)) {
      EXPECT_TRUE(nodes.emplace(added.node, added.hash).second)
          << "node " << added.node.level << "/" << added.node.index << " added twice";
    }
    size += batch;
  }
  return nodes;
}

std::string RootFromNodes(const std::map<TreeNode, std::string>& nodes, LeafRange range) {
  std::vector<std::string> hashes;
  for (const auto& node : RangeNodes(range)) hashes.push_back(nodes.at(node));
  return FoldRange(hashes);
}

std::string FlipBit(std::string hash) {
  hash[0] ^= 0x10;
  return hash;
}

TEST(Merkle, HashesLeavesAndNodesWithDomainSeparation) {
  EXPECT_EQ(Hex(MerkleEmptyRoot()), kReferenceRoots[0]);
  EXPECT_EQ(Hex(MerkleLeafHash("")), kReferenceNodes[0][0]);
  EXPECT_EQ(Hex(MerkleNodeHash(Unhex(kReferenceNodes[0][0]), Unhex(kReferenceNodes[0][1]))),
            kReferenceNodes[1][0]);
  EXPECT_EQ(FoldRange({}), MerkleEmptyRoot());
}

TEST(Merkle, MatchesPublishedRootsAndNodes) {
  const std::vector<std::string> leaf_hashes = LeafHashes(ReferenceLeaves());
  const auto nodes = BuildTree(leaf_hashes, {8});
  EXPECT_EQ(nodes.size(), 15u);
  for (size_t level = 0; level < kReferenceNodes.size(); ++level) {
    for (size_t index = 0; index < kReferenceNodes[level].size(); ++index) {
      const TreeNode node{static_cast<int>(level), static_cast<int64_t>(index)};
      EXPECT_EQ(Hex(nodes.at(node)), kReferenceNodes[level][index]) << level << "/" << index;
    }
  }
  for (int64_t size = 0; size <= 8; ++size) {
    EXPECT_EQ(Hex(ReferenceMth(leaf_hashes, 0, size)), kReferenceRoots[size]) << size;
    EXPECT_EQ(Hex(RootFromNodes(nodes, {0, size})), kReferenceRoots[size]) << size;
  }
}

TEST(Merkle, DecomposesRangesIntoAlignedSubtrees) {
  EXPECT_EQ(RangeNodes({0, 7}), (std::vector<TreeNode>{{2, 0}, {1, 2}, {0, 6}}));
  EXPECT_EQ(RangeNodes({4, 8}), (std::vector<TreeNode>{{2, 1}}));
  EXPECT_EQ(RangeNodes({8, 13}), (std::vector<TreeNode>{{2, 2}, {0, 12}}));
  EXPECT_EQ(RangeNodes({0, 0}), std::vector<TreeNode>{});
  EXPECT_EQ(RangeNodes({5, 3}), std::vector<TreeNode>{});
  // Not a range a proof needs, but still covered exactly by complete subtrees.
  EXPECT_EQ(RangeNodes({1, 4}), (std::vector<TreeNode>{{0, 1}, {1, 1}}));
}

TEST(Merkle, AppendLeavesInBatchesGivesTheSameNodes) {
  std::vector<std::string> leaves = ReferenceLeaves();
  const auto reference = BuildTree(LeafHashes(leaves), {8});
  for (const std::vector<size_t>& batches : std::vector<std::vector<size_t>>{
           {1, 1, 1, 1, 1, 1, 1, 1}, {3, 5}, {2, 3, 3}, {5, 1, 2}, {0, 7, 0, 1}, {4, 4}}) {
    const auto nodes = BuildTree(LeafHashes(leaves), batches);
    EXPECT_EQ(nodes, reference) << batches.size() << " batches";
  }

  leaves.clear();
  for (int i = 0; i < 45; ++i) leaves.push_back(absl::StrCat("event ", i));
  const std::vector<std::string> leaf_hashes = LeafHashes(leaves);
  const auto one_batch = BuildTree(leaf_hashes, {45});
  EXPECT_EQ(BuildTree(leaf_hashes, {1, 2, 3, 4, 5, 6, 7, 8, 9}), one_batch);
  EXPECT_EQ(BuildTree(leaf_hashes, {17, 16, 12}), one_batch);
  for (int64_t size = 0; size <= 45; ++size) {
    EXPECT_EQ(RootFromNodes(one_batch, {0, size}), ReferenceMth(leaf_hashes, 0, size)) << size;
  }
}

TEST(Merkle, AppendLeavesRefusesAFrontierOfTheWrongShape) {
  const std::vector<std::string> leaf = {MerkleLeafHash("x")};
  EXPECT_TRUE(AppendLeaves(3, {leaf[0]}, leaf).empty());
  EXPECT_TRUE(AppendLeaves(-1, {}, leaf).empty());
}

// The proof ranges of transparency-dev/merkle proof/verify_test.go (inclusionProofs and
// consistencyProofs, whose leaf numbers there count from 1), in our terms.
TEST(Merkle, PlansThePublishedProofs) {
  const std::vector<std::string> leaf_hashes = LeafHashes(ReferenceLeaves());
  struct Vector {
    int64_t a, b;
    std::vector<const char*> proof;
  };
  const std::vector<Vector> inclusion = {
      {0, 1, {}},
      {0,
       8,
       {"96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
        "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
        "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"}},
      {5,
       8,
       {"bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
        "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"}},
      {2, 3, {"fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"}},
      {1,
       5,
       {"6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
        "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"}},
  };
  for (const auto& v : inclusion) {
    std::vector<std::string> want;
    for (const char* hex : v.proof) want.push_back(Unhex(hex));
    const auto proof = ProofHashes(leaf_hashes, InclusionProofRanges(v.a, v.b));
    EXPECT_EQ(proof, want) << "inclusion " << v.a << " " << v.b;
    EXPECT_TRUE(VerifyInclusion(v.a, v.b, leaf_hashes[v.a], proof, Unhex(kReferenceRoots[v.b])));
  }
  const std::vector<Vector> consistency = {
      {1, 1, {}},
      {1,
       8,
       {"96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
        "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
        "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"}},
      {6,
       8,
       {"0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
        "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"}},
      {2,
       5,
       {"5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
        "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"}},
      {6,
       7,
       {"0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
        "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"}},
  };
  for (const auto& v : consistency) {
    std::vector<std::string> want;
    for (const char* hex : v.proof) want.push_back(Unhex(hex));
    const auto proof = ProofHashes(leaf_hashes, ConsistencyProofRanges(v.a, v.b));
    EXPECT_EQ(proof, want) << "consistency " << v.a << " " << v.b;
    EXPECT_TRUE(VerifyConsistency(v.a, v.b, Unhex(kReferenceRoots[v.a]),
                                  Unhex(kReferenceRoots[v.b]), proof));
  }
}

void CheckAllInclusionProofs(const std::vector<std::string>& leaf_hashes, int64_t max_size) {
  const auto nodes = BuildTree(leaf_hashes, {leaf_hashes.size()});
  for (int64_t size = 1; size <= max_size; ++size) {
    const std::string root = ReferenceMth(leaf_hashes, 0, size);
    for (int64_t index = 0; index < size; ++index) {
      SCOPED_TRACE(absl::StrCat("leaf ", index, " of ", size));
      const auto ranges = InclusionProofRanges(index, size);
      const auto proof = ProofHashes(leaf_hashes, ranges);
      // Each range's hash comes from the stored nodes it decomposes into.
      for (size_t i = 0; i < ranges.size(); ++i) {
        EXPECT_EQ(RootFromNodes(nodes, ranges[i]), proof[i]);
      }
      const std::string& leaf = leaf_hashes[index];
      EXPECT_TRUE(VerifyInclusion(index, size, leaf, proof, root));

      for (int64_t other = 0; other <= size; ++other) {
        if (other != index) {
          EXPECT_FALSE(VerifyInclusion(other, size, leaf, proof, root)) << "leaf " << other;
        }
      }
      EXPECT_FALSE(VerifyInclusion(-1, size, leaf, proof, root));
      EXPECT_FALSE(VerifyInclusion(index, size * 2, leaf, proof, root));
      if (index < size / 2) {
        EXPECT_FALSE(VerifyInclusion(index, size / 2, leaf, proof, root));
      }
      EXPECT_FALSE(VerifyInclusion(index, size, FlipBit(leaf), proof, root));
      EXPECT_FALSE(VerifyInclusion(index, size, leaf, proof, FlipBit(root)));
      EXPECT_FALSE(VerifyInclusion(index, size, leaf, proof, MerkleEmptyRoot()));
      for (size_t i = 0; i < proof.size(); ++i) {
        auto tampered = proof;
        tampered[i] = FlipBit(tampered[i]);
        EXPECT_FALSE(VerifyInclusion(index, size, leaf, tampered, root)) << "proof[" << i << "]";
      }
      auto longer = proof;
      longer.push_back(root);
      EXPECT_FALSE(VerifyInclusion(index, size, leaf, longer, root));
      longer = proof;
      longer.insert(longer.begin(), leaf);
      EXPECT_FALSE(VerifyInclusion(index, size, leaf, longer, root));
      if (!proof.empty()) {
        auto shorter = proof;
        shorter.pop_back();
        EXPECT_FALSE(VerifyInclusion(index, size, leaf, shorter, root));
      }
    }
  }
}

void CheckAllConsistencyProofs(const std::vector<std::string>& leaf_hashes, int64_t max_size) {
  const auto nodes = BuildTree(leaf_hashes, {leaf_hashes.size()});
  for (int64_t second = 1; second <= max_size; ++second) {
    const std::string second_root = ReferenceMth(leaf_hashes, 0, second);
    for (int64_t first = 1; first <= second; ++first) {
      SCOPED_TRACE(absl::StrCat("from ", first, " to ", second));
      const std::string first_root = ReferenceMth(leaf_hashes, 0, first);
      const auto ranges = ConsistencyProofRanges(first, second);
      const auto proof = ProofHashes(leaf_hashes, ranges);
      for (size_t i = 0; i < ranges.size(); ++i) {
        EXPECT_EQ(RootFromNodes(nodes, ranges[i]), proof[i]);
      }
      EXPECT_TRUE(VerifyConsistency(first, second, first_root, second_root, proof));
      if (first == second) {
        EXPECT_TRUE(proof.empty());
        EXPECT_FALSE(VerifyConsistency(first, second, first_root, FlipBit(second_root), proof));
        EXPECT_FALSE(VerifyConsistency(first, second, first_root, second_root, {first_root}));
        continue;
      }

      for (int64_t other = 0; other <= second + 1; ++other) {
        if (other == first) continue;
        EXPECT_FALSE(VerifyConsistency(other, second, first_root, second_root, proof))
            << "first size " << other;
      }
      EXPECT_FALSE(VerifyConsistency(first, second * 2, first_root, second_root, proof));
      EXPECT_FALSE(VerifyConsistency(first, second, second_root, first_root, proof));
      EXPECT_FALSE(VerifyConsistency(first, second, FlipBit(first_root), second_root, proof));
      EXPECT_FALSE(VerifyConsistency(first, second, first_root, FlipBit(second_root), proof));
      EXPECT_FALSE(VerifyConsistency(first, second, first_root, second_root, {}));
      for (size_t i = 0; i < proof.size(); ++i) {
        auto tampered = proof;
        tampered[i] = FlipBit(tampered[i]);
        EXPECT_FALSE(VerifyConsistency(first, second, first_root, second_root, tampered))
            << "proof[" << i << "]";
      }
      auto longer = proof;
      longer.push_back(second_root);
      EXPECT_FALSE(VerifyConsistency(first, second, first_root, second_root, longer));
      longer = proof;
      longer.insert(longer.begin(), proof[0]);
      EXPECT_FALSE(VerifyConsistency(first, second, first_root, second_root, longer));
      auto shorter = proof;
      shorter.pop_back();
      EXPECT_FALSE(VerifyConsistency(first, second, first_root, second_root, shorter));
    }
  }
}

TEST(Merkle, InclusionProofsUpToEightLeavesVerifyAndTamperingFails) {
  CheckAllInclusionProofs(LeafHashes(ReferenceLeaves()), 8);
}

TEST(Merkle, ConsistencyProofsUpToEightLeavesVerifyAndTamperingFails) {
  CheckAllConsistencyProofs(LeafHashes(ReferenceLeaves()), 8);
}

TEST(Merkle, ProofsOfDeeperTreesVerify) {
  std::vector<std::string> leaves;
  for (int i = 0; i < 33; ++i) leaves.push_back(absl::StrCat("event ", i));
  CheckAllInclusionProofs(LeafHashes(leaves), 33);
  CheckAllConsistencyProofs(LeafHashes(leaves), 33);
}

TEST(Merkle, ProofPlansRejectImpossibleArguments) {
  EXPECT_TRUE(InclusionProofRanges(0, 0).empty());
  EXPECT_TRUE(InclusionProofRanges(3, 3).empty());
  EXPECT_TRUE(InclusionProofRanges(-1, 3).empty());
  EXPECT_TRUE(ConsistencyProofRanges(0, 5).empty());
  EXPECT_TRUE(ConsistencyProofRanges(6, 5).empty());
  EXPECT_TRUE(ConsistencyProofRanges(5, 5).empty());
}

TEST(Merkle, VerifiersHandleEmptyAndEqualTrees) {
  const std::string root = MerkleLeafHash("x");
  const std::string empty = MerkleEmptyRoot();
  EXPECT_TRUE(VerifyInclusion(0, 1, root, {}, root));
  EXPECT_FALSE(VerifyInclusion(0, 0, root, {}, root));
  EXPECT_FALSE(VerifyInclusion(0, 1, "", {}, ""));
  EXPECT_TRUE(VerifyConsistency(0, 0, empty, empty, {}));
  EXPECT_TRUE(VerifyConsistency(0, 7, empty, root, {}));
  EXPECT_FALSE(VerifyConsistency(0, 7, empty, root, {root}));
  EXPECT_TRUE(VerifyConsistency(3, 3, root, root, {}));
  EXPECT_FALSE(VerifyConsistency(3, 3, root, empty, {}));
  EXPECT_FALSE(VerifyConsistency(3, 3, root, root, {root}));
  EXPECT_FALSE(VerifyConsistency(4, 3, root, root, {}));
  EXPECT_FALSE(VerifyConsistency(-1, 3, root, root, {}));
}

}  // namespace
}  // namespace compliance
