#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "domain/note_keys.h"
#include "domain/signed_note.h"

// The checkpoint body of C2SP tlog-checkpoint (declared in signed_note.h).
namespace compliance {
namespace {

constexpr size_t kRootSize = 32;

}  // namespace

std::string CheckpointBody(const Checkpoint& checkpoint) {
  return absl::StrCat(checkpoint.origin, "\n", checkpoint.size, "\n",
                      absl::Base64Escape(checkpoint.root), "\n");
}

absl::StatusOr<Checkpoint> ParseCheckpointBody(absl::string_view body) {
  const auto invalid = [](absl::string_view problem) {
    return absl::InvalidArgumentError(absl::StrCat("checkpoint body: ", problem));
  };
  if (!absl::ConsumeSuffix(&body, "\n")) return invalid("must end with a newline");
  const std::vector<absl::string_view> lines = absl::StrSplit(body, '\n');
  if (lines.size() < 3) return invalid("want origin, tree size and root hash lines");
  if (lines[0].empty()) return invalid("the origin is empty");

  Checkpoint checkpoint;
  checkpoint.origin = std::string(lines[0]);
  const absl::string_view size = lines[1];
  const bool decimal = !size.empty() && std::all_of(size.begin(), size.end(), absl::ascii_isdigit);
  if (!decimal || (size.size() > 1 && size[0] == '0') ||
      !absl::SimpleAtoi(size, &checkpoint.size)) {
    return invalid("the tree size must be a decimal number without leading zeros");
  }
  const std::optional<std::string> root = note_keys::DecodeBase64(lines[2]);
  if (!root.has_value() || root->size() != kRootSize) {
    return invalid("the root hash must be the base64 of 32 bytes");
  }
  checkpoint.root = *root;
  if (std::any_of(lines.begin() + 3, lines.end(), [](absl::string_view l) { return l.empty(); })) {
    return invalid("extension lines must not be empty");
  }
  return checkpoint;
}

}  // namespace compliance
