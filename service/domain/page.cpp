#include "domain/page.h"

#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "domain/errors.h"
#include "domain/sha256.h"

namespace compliance {
namespace {

constexpr char kTokenVersion[] = "p1";
constexpr char kField[] = "page_token";

}  // namespace

absl::StatusOr<int> EffectivePageSize(int32_t page_size) {
  if (page_size < 0) return FieldError("page_size", "must not be negative");
  if (page_size == 0) return kDefaultPageSize;
  return page_size > kMaxPageSize ? kMaxPageSize : page_size;
}

std::string FilterFingerprint(absl::string_view canonical_filters) {
  // 64 bits tell filter sets apart; the token is not a security boundary.
  return Sha256Hex(canonical_filters).substr(0, 16);
}

std::string EncodePageToken(absl::string_view filter_fingerprint, const PageCursor& cursor) {
  return absl::WebSafeBase64Escape(absl::StrCat(kTokenVersion, "\n", filter_fingerprint, "\n",
                                                cursor.sort_key, "\n", cursor.id));
}

absl::StatusOr<std::optional<PageCursor>> DecodePageToken(absl::string_view token,
                                                          absl::string_view filter_fingerprint) {
  if (token.empty()) return std::optional<PageCursor>();
  std::string raw;
  if (!absl::WebSafeBase64Unescape(token, &raw)) {
    return FieldError(kField, "is not a token this server issued");
  }
  const std::vector<std::string> parts = absl::StrSplit(raw, absl::MaxSplits('\n', 3));
  if (parts.size() != 4 || parts[0] != kTokenVersion) {
    return FieldError(kField, "is not a token this server issued");
  }
  if (parts[1] != filter_fingerprint) {
    return FieldError(kField, "was issued for different filters; start again without it");
  }
  return std::optional<PageCursor>(PageCursor{parts[2], parts[3]});
}

std::string EncodeTimeCursor(absl::string_view filter_fingerprint, const TimeCursor& cursor) {
  return EncodePageToken(filter_fingerprint,
                         PageCursor{absl::StrCat(absl::ToUnixMicros(cursor.time)), cursor.id});
}

absl::StatusOr<std::optional<TimeCursor>> DecodeTimeCursor(absl::string_view token,
                                                           absl::string_view filter_fingerprint) {
  auto cursor = DecodePageToken(token, filter_fingerprint);
  if (!cursor.ok()) return cursor.status();
  if (!*cursor) return std::optional<TimeCursor>();
  int64_t micros = 0;
  if (!absl::SimpleAtoi((*cursor)->sort_key, &micros)) {
    return FieldError(kField, "is not a token this server issued");
  }
  return std::optional<TimeCursor>(TimeCursor{absl::FromUnixMicros(micros), (*cursor)->id});
}

}  // namespace compliance
