#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace compliance {

// Checkpoints of the audit log's tree (C2SP tlog-checkpoint), signed as C2SP signed notes
// with Ed25519, so that anyone holding the verifier key can check them with any signed-note
// implementation (Go's golang.org/x/mod/sumdb/note, for one).

/// What a checkpoint states: the log's origin, its size and the root of its Merkle tree.
struct Checkpoint {
  std::string origin;
  int64_t size = 0;
  std::string root;  ///< 32 raw bytes
};

/// The checkpoint body: "<origin>\n<size>\n<base64 root>\n".
std::string CheckpointBody(const Checkpoint& checkpoint);

/// Reads a checkpoint body (extension lines after the root are allowed and ignored);
/// INVALID_ARGUMENT saying what is wrong otherwise.
absl::StatusOr<Checkpoint> ParseCheckpointBody(absl::string_view body);

/// An Ed25519 key that signs notes; its name is the note's key name (and the log's origin).
class NoteSigner {
 public:
  /// A new random key. INVALID_ARGUMENT unless `name` is a valid key name: non-empty UTF-8
  /// without Unicode spaces, '+' or control characters.
  static absl::StatusOr<NoteSigner> Generate(absl::string_view name);
  /// Reads "PRIVATE+KEY+<name>+<key hash, 8 hex>+<base64(0x01 || 32-byte seed)>", the form
  /// Go's note package writes (surrounding white space ignored).
  static absl::StatusOr<NoteSigner> FromPrivateKey(absl::string_view text);

  const std::string& name() const { return name_; }
  /// The private key in the form FromPrivateKey reads.
  std::string PrivateKey() const;
  /// "<name>+<key hash, 8 hex>+<base64(0x01 || 32-byte public key)>".
  std::string VerifierKey() const;
  /// The signed note: `text`, a blank line, and one line
  /// "— <name> <base64(key hash || signature)>\n". `text` must end in a newline and hold no
  /// control characters other than newlines, or no verifier will open the note.
  std::string Sign(absl::string_view text) const;

 private:
  NoteSigner(std::string name, std::string seed, std::string public_key);
  std::string name_;
  std::string seed_;        ///< 32 bytes
  std::string public_key_;  ///< 32 bytes
};

/// The text of a signed note once a signature by `verifier_key` (surrounding white space
/// ignored) verifies; signatures by other keys are ignored. INVALID_ARGUMENT for a malformed
/// note or key; FAILED_PRECONDITION when the note has no signature by that key, or one that
/// does not verify.
absl::StatusOr<std::string> OpenNote(absl::string_view note, absl::string_view verifier_key);

/// OK when `verifier_key` is a well-formed Ed25519 verifier key; INVALID_ARGUMENT saying what
/// is wrong otherwise.
absl::Status CheckVerifierKey(absl::string_view verifier_key);

/// The text of a note without verifying anything (the part before the blank line and the
/// signature lines); INVALID_ARGUMENT when it is malformed as OpenNote judges.
absl::StatusOr<std::string> NoteText(absl::string_view note);

}  // namespace compliance
