// Signed checkpoints, from hostile bytes: notes, verifier keys and checkpoint bodies are
// answered (OK or INVALID_ARGUMENT / FAILED_PRECONDITION) without a crash; a note signed here
// opens to its text; a note changed anywhere opens to nothing else; a checkpoint body reads
// back what it says.
#include <memory>

#include "domain/signed_note.h"
#include "fuzz_check.h"

namespace compliance {
namespace {

std::unique_ptr<NoteSigner> signer;

void CheckRefusal(const absl::Status& status, const std::string& what) {
  FUZZ_CHECK(status.ok() || status.code() == absl::StatusCode::kInvalidArgument ||
                 status.code() == absl::StatusCode::kFailedPrecondition,
             what + ": " + status.ToString());
}

// `text` made signable: no control characters but newlines, and a final newline.
std::string Signable(std::string text) {
  for (char& c : text) {
    if ((static_cast<unsigned char>(c) < 0x20 && c != '\n') || c == 0x7f) c = 'x';
  }
  if (text.empty() || text.back() != '\n') text += '\n';
  return text;
}

}  // namespace
}  // namespace compliance

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  compliance::signer = std::make_unique<compliance::NoteSigner>(
      *compliance::NoteSigner::Generate("fuzz.example/log"));
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace compliance;
  fuzz::FuzzInput input(data, size);
  const std::string key = input.String();
  CheckRefusal(CheckVerifierKey(key), "CheckVerifierKey");
  const uint8_t flip_at = input.Byte();
  const uint8_t flip = input.Byte();
  const std::string bytes = input.Rest();
  CheckRefusal(OpenNote(bytes, key).status(), "OpenNote with its key");
  CheckRefusal(OpenNote(bytes, signer->VerifierKey()).status(), "OpenNote");
  CheckRefusal(NoteText(bytes).status(), "NoteText");

  if (auto checkpoint = ParseCheckpointBody(bytes); checkpoint.ok()) {
    auto again = ParseCheckpointBody(CheckpointBody(*checkpoint));
    FUZZ_CHECK(again.ok() && again->origin == checkpoint->origin &&
                   again->size == checkpoint->size && again->root == checkpoint->root,
               "a checkpoint body does not read back");
  } else {
    CheckRefusal(checkpoint.status(), "ParseCheckpointBody");
  }

  const std::string text = Signable(bytes);
  std::string note = signer->Sign(text);
  auto opened = OpenNote(note, signer->VerifierKey());
  if (auto plain = NoteText(note); plain.ok() && *plain == text) {
    FUZZ_CHECK(opened.ok() && *opened == text,
               "a signed note did not open: " + opened.status().ToString());
  }
  note[flip_at % note.size()] ^= static_cast<char>(flip | 1);
  auto changed = OpenNote(note, signer->VerifierKey());
  FUZZ_CHECK(!changed.ok() || (opened.ok() && *changed == *opened),
             "a changed note opened to another text");
  return 0;
}
