// The CLI's evidence import, from hostile files: the first byte picks CSV or JSON Lines, the
// rest is the file. Reading must never crash; rows come in file order with lines inside the
// file; every failure is INVALID_ARGUMENT; a record that becomes a request becomes the same
// request (the same request_id) every time. The client no longer checks values the server
// judges, but where the server's validation accepts a request, the client's import-v1 id is
// the one the 0.1.0 client derived from the server's RequestHash, so re-imports deduplicate.
#include <google/protobuf/util/message_differencer.h>

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "api/evidence_mapping.h"
#include "domain/request_hash.h"
#include "evidence_import.h"
#include "fuzz_check.h"
#include "import/import_request_id.h"
#include "import_requests.h"

namespace compliance {
namespace {

const absl::Time kNow = absl::FromUnixSeconds(1798761600);  // 2027-01-01

void CheckRows(const std::vector<cli::ImportRow>& rows, absl::string_view text) {
  const size_t lines =
      std::count(text.begin(), text.end(), '\n') + std::count(text.begin(), text.end(), '\r') + 1;
  size_t previous = 0;
  for (const auto& row : rows) {
    FUZZ_CHECK(row.line >= previous && row.line >= 1 && row.line <= lines,
               "row line " + std::to_string(row.line));
    previous = row.line;
    if (!row.record.ok()) {
      FUZZ_CHECK(row.record.status().code() == absl::StatusCode::kInvalidArgument,
                 row.record.status().ToString());
      continue;
    }
    auto request = cli::ToCreateRequest(*row.record, "fuzz.example");
    if (!request.ok()) {
      FUZZ_CHECK(request.status().code() == absl::StatusCode::kInvalidArgument,
                 request.status().ToString());
      continue;
    }
    auto again = cli::ToCreateRequest(*row.record, "fuzz.example");
    FUZZ_CHECK(again.ok() && google::protobuf::util::MessageDifferencer::Equals(*again, *request),
               "the same record made two requests");
    auto accepted = ParseCreateEvidence(*request, "", kNow);
    if (!accepted.ok() || !row.record->request_id.empty()) continue;
    FUZZ_CHECK(request->request_id() == ImportRequestId(request->evidence()),
               "the row's request_id is not its import-v1 id");
    FUZZ_CHECK(
        request->request_id() == absl::StrCat("import-", RequestHash(*accepted).substr(0, 40)),
        "import-v1 differs from the server's request hash: " + request->request_id());
  }
}

}  // namespace
}  // namespace compliance

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace compliance;
  if (size == 0) return 0;
  const absl::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
  if (data[0] % 2 == 0) {
    auto rows = cli::ParseCsvImport(text);
    if (!rows.ok()) {
      FUZZ_CHECK(rows.status().code() == absl::StatusCode::kInvalidArgument,
                 rows.status().ToString());
      return 0;
    }
    CheckRows(*rows, text);
  } else {
    CheckRows(cli::ParseJsonlImport(text), text);
  }
  return 0;
}
