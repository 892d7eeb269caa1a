#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace compliance {

/// Page sizes: 0 means this, …
inline constexpr int kDefaultPageSize = 50;
/// … and larger requests are cut to this.
inline constexpr int kMaxPageSize = 1000;

/// The effective page size for a request's `page_size`; negative is INVALID_ARGUMENT.
absl::StatusOr<int> EffectivePageSize(int32_t page_size);

/// Keyset cursor: the last row's sort key and id, bound to the filters it was issued for.
struct PageCursor {
  std::string sort_key;  ///< the ordering column of the last row, as text
  std::string id;        ///< the tie-breaking id of the last row
};

/// Fingerprint of a list request's filters; a token only continues the same listing.
std::string FilterFingerprint(absl::string_view canonical_filters);

/// Encodes an opaque page token.
std::string EncodePageToken(absl::string_view filter_fingerprint, const PageCursor& cursor);

/// Decodes `token`; malformed tokens and tokens issued for other filters are
/// INVALID_ARGUMENT on `page_token`. An empty token yields nullopt (first page).
absl::StatusOr<std::optional<PageCursor>> DecodePageToken(absl::string_view token,
                                                          absl::string_view filter_fingerprint);

/// Keyset position in a listing ordered by a time and then an id (evidence, actions).
struct TimeCursor {
  absl::Time time;
  std::string id;
};

/// The token that continues after `cursor`.
std::string EncodeTimeCursor(absl::string_view filter_fingerprint, const TimeCursor& cursor);

/// Decodes a token made by EncodeTimeCursor for the same filters; nullopt for the first page.
absl::StatusOr<std::optional<TimeCursor>> DecodeTimeCursor(absl::string_view token,
                                                           absl::string_view filter_fingerprint);

}  // namespace compliance
