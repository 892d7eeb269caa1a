// The audit log's canonical encoding and chain, from arbitrary events: the encoding reads
// back, field by field, as docs/audit-log.md describes it (so no two events share one); a
// chain of such events verifies; and changing any one field of any one event breaks the chain
// exactly there.
#include <vector>

#include "absl/strings/numbers.h"
#include "domain/audit.h"
#include "fuzz_check.h"

namespace compliance {
namespace {

AuditEntry TakeEntry(fuzz::FuzzInput& input) {
  return AuditEntry{input.String(), input.String(), input.String(),
                    input.String(), input.String(), input.String()};
}

// Reads "<decimal length>:<bytes>;" fields, as a third-party verifier would.
std::vector<std::string> ReadFields(absl::string_view encoded) {
  std::vector<std::string> fields;
  while (!encoded.empty()) {
    const size_t colon = encoded.find(':');
    size_t length = 0;
    FUZZ_CHECK(colon != absl::string_view::npos &&
                   absl::SimpleAtoi(encoded.substr(0, colon), &length) &&
                   colon + 1 + length < encoded.size() && encoded[colon + 1 + length] == ';',
               "not a length-prefixed field");
    fields.emplace_back(encoded.substr(colon + 1, length));
    encoded.remove_prefix(colon + 2 + length);
  }
  return fields;
}

// Changes one field of `entry`, chosen by `which`.
void Tamper(AuditEntry& entry, uint8_t which) {
  std::string* fields[] = {&entry.actor,      &entry.method,      &entry.resource,
                           &entry.request_id, &entry.before_json, &entry.after_json};
  std::string& field = *fields[which % 6];
  if (field.empty()) {
    field = "x";
  } else {
    field[0] = static_cast<char>(field[0] ^ 1);
  }
}

}  // namespace
}  // namespace compliance

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace compliance;
  fuzz::FuzzInput input(data, size);
  std::vector<AuditEvent> chain;
  std::string previous = kGenesisHash;
  for (int64_t sequence = 1; sequence <= 8 && !input.empty(); ++sequence) {
    AuditEvent event;
    event.sequence = sequence;
    event.time = absl::FromUnixMicros(input.Int64() % 253402300800000000);
    event.entry = TakeEntry(input);
    const auto fields = ReadFields(AuditCanonical(event.sequence, event.time, event.entry));
    const std::vector<std::string> expected = {"compliance-audit-v1",
                                               std::to_string(sequence),
                                               std::to_string(absl::ToUnixMicros(event.time)),
                                               event.entry.actor,
                                               event.entry.method,
                                               event.entry.resource,
                                               event.entry.request_id,
                                               event.entry.before_json,
                                               event.entry.after_json};
    FUZZ_CHECK(fields == expected, "the canonical encoding does not read back");
    event.prev_hash = previous;
    event.hash = AuditHash(previous, event.sequence, event.time, event.entry);
    previous = event.hash;
    chain.push_back(event);
  }
  ChainVerifier intact;
  for (const auto& event : chain) intact.Add(event);
  FUZZ_CHECK(intact.intact() && intact.verified() == static_cast<int64_t>(chain.size()),
             intact.detail());
  if (chain.empty()) return 0;

  const size_t victim = input.Byte() % chain.size();
  Tamper(chain[victim].entry, input.Byte());
  ChainVerifier tampered;
  for (const auto& event : chain) tampered.Add(event);
  FUZZ_CHECK(!tampered.intact() && tampered.first_broken() == chain[victim].sequence,
             "a changed event went unnoticed or was blamed elsewhere: " + tampered.detail());
  return 0;
}
