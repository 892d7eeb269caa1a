// Page tokens, from hostile clients: any token decodes to a cursor or to INVALID_ARGUMENT on
// `page_token`, never a crash; a token decodes only for the filters it was issued for; and
// every cursor survives its own token.
#include "absl/strings/match.h"
#include "absl/strings/str_replace.h"
#include "domain/page.h"
#include "fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace compliance;
  fuzz::FuzzInput input(data, size);
  const std::string fingerprint = FilterFingerprint(input.String());
  const std::string other = FilterFingerprint(input.String() + "other");
  // Sort keys are the server's own (numbers, positions), never with a line break.
  const PageCursor cursor{absl::StrReplaceAll(input.String(), {{"\n", ""}}), input.String()};
  const TimeCursor time_cursor{absl::FromUnixMicros(input.Int64() % 253402300800000000),
                               input.String()};
  const std::string token = input.Rest();

  for (const auto& decoded : {DecodePageToken(token, fingerprint).status(),
                              DecodeTimeCursor(token, fingerprint).status()}) {
    FUZZ_CHECK(decoded.ok() || (decoded.code() == absl::StatusCode::kInvalidArgument &&
                                absl::StartsWith(decoded.message(), "page_token: ")),
               decoded.ToString());
  }

  auto page = DecodePageToken(EncodePageToken(fingerprint, cursor), fingerprint);
  FUZZ_CHECK(page.ok() && *page && (*page)->sort_key == cursor.sort_key && (*page)->id == cursor.id,
             "a page cursor did not survive its token");
  if (other != fingerprint) {
    FUZZ_CHECK(!DecodePageToken(EncodePageToken(fingerprint, cursor), other).ok(),
               "a token decoded for other filters");
  }
  auto time = DecodeTimeCursor(EncodeTimeCursor(fingerprint, time_cursor), fingerprint);
  FUZZ_CHECK(
      time.ok() && *time && (*time)->time == time_cursor.time && (*time)->id == time_cursor.id,
      "a time cursor did not survive its token: " + time.status().ToString());
  return 0;
}
