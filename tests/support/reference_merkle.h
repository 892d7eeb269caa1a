#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "domain/merkle.h"

namespace compliance {

// MTH(D[begin:end]) straight from RFC 9162 2.1.1, to check the service's tree against: the
// unit tests and the proof fuzzer use it.
inline std::string ReferenceMth(const std::vector<std::string>& leaf_hashes, int64_t begin,
                                int64_t end) {
  if (begin == end) return MerkleEmptyRoot();
  if (end - begin == 1) return leaf_hashes[begin];
  int64_t k = 1;
  while (k * 2 < end - begin) k *= 2;
  return MerkleNodeHash(ReferenceMth(leaf_hashes, begin, begin + k),
                        ReferenceMth(leaf_hashes, begin + k, end));
}

/// The reference hashes of `ranges`, in order: a proof, when they are a proof's ranges.
inline std::vector<std::string> ProofHashes(const std::vector<std::string>& leaf_hashes,
                                            const std::vector<LeafRange>& ranges) {
  std::vector<std::string> proof;
  for (const auto& range : ranges) {
    proof.push_back(ReferenceMth(leaf_hashes, range.begin, range.end));
  }
  return proof;
}

}  // namespace compliance
