#include "audit_tree_check.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "domain/merkle.h"

namespace compliance::cli {

TreeCheck::TreeCheck(std::vector<TrustedCheckpoint> trusted) : trusted_(std::move(trusted)) {
  std::sort(trusted_.begin(), trusted_.end(),
            [](const auto& a, const auto& b) { return a.size < b.size; });
}

int64_t TreeCheck::target() const { return trusted_.empty() ? 0 : trusted_.back().size; }

void TreeCheck::Break(int64_t sequence, std::string detail) {
  if (!verdict_.intact) return;
  verdict_.intact = false;
  verdict_.first_broken_sequence = sequence;
  verdict_.detail = std::move(detail);
}

void TreeCheck::Add(const AuditEvent& event) {
  if (!verdict_.intact || size_ >= target()) return;
  chain_.Add(event);
  if (!chain_.intact()) {
    Break(chain_.first_broken(), chain_.detail());
    return;
  }
  ++size_;
  frontier_.emplace_back(0, AuditLeafHash(event));
  while (frontier_.size() >= 2 && frontier_[frontier_.size() - 2].first == frontier_.back().first) {
    const std::string right = std::move(frontier_.back().second);
    frontier_.pop_back();
    frontier_.back().second = MerkleNodeHash(frontier_.back().second, right);
    ++frontier_.back().first;
  }
  CompareRoots();
}

void TreeCheck::CompareRoots() {
  while (verdict_.intact && next_trusted_ < trusted_.size() &&
         trusted_[next_trusted_].size == size_) {
    const auto& checkpoint = trusted_[next_trusted_++];
    std::vector<std::string> hashes;
    for (const auto& [level, hash] : frontier_) hashes.push_back(hash);
    if (FoldRange(hashes) == checkpoint.root) {
      matched_size_ = size_;
      continue;
    }
    const int64_t first = matched_size_ + 1;
    Break(first,
          first == size_
              ? absl::StrCat("event ", size_, " does not match the checkpoint of ", size_,
                             " events signed in ", checkpoint.from,
                             ": it was altered after it was signed")
              : absl::StrCat("events ", first, "…", size_, " do not match the checkpoint of ",
                             size_, " events signed in ", checkpoint.from, ": one of them, ", first,
                             " or later, was altered after it was signed (a checkpoint "
                             "of a size in between would tell which)"));
  }
}

TreeVerdict TreeCheck::Finish() {
  if (verdict_.intact && size_ < target()) {
    const auto& checkpoint = trusted_[next_trusted_];
    Break(size_ + 1, absl::StrCat("events ", size_ + 1, "…", checkpoint.size,
                                  " are missing: the checkpoint signed in ", checkpoint.from,
                                  " covers ", checkpoint.size, " events"));
  }
  verdict_.verified_events = verdict_.intact ? size_ : verdict_.first_broken_sequence - 1;
  if (verdict_.intact) {
    verdict_.detail =
        absl::StrCat(size_, " events verified against ", trusted_.size(), " signed checkpoint(s)");
  }
  return verdict_;
}

}  // namespace compliance::cli
