// The Merkle proofs of the audit log, against a tree of up to 64 arbitrary leaves hashed by a
// recursive reference of RFC 9162's MTH: the server's roots and genuine proofs match the
// reference and verify, and no other proof for the same leaf and sizes verifies, whatever the
// fuzzer makes of it (changed, dropped, repeated or invented hashes).
#include <vector>

#include "domain/merkle.h"
#include "fuzz_check.h"
#include "reference_merkle.h"

namespace compliance {
namespace {

// A proof the fuzzer derives from the genuine one.
std::vector<std::string> Forge(fuzz::FuzzInput& input, std::vector<std::string> proof) {
  const uint8_t how = input.Byte();
  const size_t at = proof.empty() ? 0 : input.Byte() % proof.size();
  switch (how % 5) {
    case 0:
      if (!proof.empty()) proof[at][input.Byte() % 32] ^= static_cast<char>(1 | input.Byte());
      break;
    case 1:
      if (!proof.empty()) proof.erase(proof.begin() + at);
      break;
    case 2:
      proof.insert(proof.begin() + at, proof.empty() ? input.Bytes(32) : proof[at]);
      break;
    case 3:
      if (proof.size() > 1) std::swap(proof[at], proof[(at + 1) % proof.size()]);
      break;
    default:
      proof.clear();
      for (int i = input.Byte() % 10; i > 0; --i) proof.push_back(input.Bytes(32));
  }
  return proof;
}

}  // namespace
}  // namespace compliance

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace compliance;
  fuzz::FuzzInput input(data, size);
  const int64_t n = 1 + input.Byte() % 64;
  std::vector<std::string> leaves;
  for (int64_t i = 0; i < n; ++i) leaves.push_back(MerkleLeafHash(input.String(16)));
  const std::string root = ReferenceMth(leaves, 0, n);
  std::vector<std::string> nodes;
  for (const auto& node : RangeNodes({0, n})) {
    nodes.push_back(ReferenceMth(leaves, node.index << node.level, (node.index + 1) << node.level));
  }
  FUZZ_CHECK(FoldRange(nodes) == root, "the folded root differs from MTH");

  const int64_t m = input.Byte() % n;
  const auto inclusion = ProofHashes(leaves, InclusionProofRanges(m, n));
  FUZZ_CHECK(VerifyInclusion(m, n, leaves[m], inclusion, root), "a genuine inclusion failed");
  const auto forged = Forge(input, inclusion);
  FUZZ_CHECK(forged == inclusion || !VerifyInclusion(m, n, leaves[m], forged, root),
             "a forged inclusion proof verified");

  const int64_t first = 1 + input.Byte() % n;
  const std::string first_root = ReferenceMth(leaves, 0, first);
  const auto consistency = ProofHashes(leaves, ConsistencyProofRanges(first, n));
  FUZZ_CHECK(VerifyConsistency(first, n, first_root, root, consistency),
             "a genuine consistency proof failed");
  const auto forged_consistency = Forge(input, consistency);
  FUZZ_CHECK(forged_consistency == consistency ||
                 !VerifyConsistency(first, n, first_root, root, forged_consistency),
             "a forged consistency proof verified");
  if (first < n) {
    const std::string never_a_root = MerkleNodeHash(first_root, first_root);
    FUZZ_CHECK(!VerifyConsistency(first, n, never_a_root, root, consistency),
               "a consistency proof verified from a root that was never the log's");
  }
  // Arbitrary claims must be answered, true or false, without a crash.
  VerifyInclusion(input.Int64(), input.Int64(), input.Bytes(32), forged, root);
  VerifyConsistency(input.Int64(), input.Int64(), input.Bytes(32), root, forged_consistency);
  return 0;
}
