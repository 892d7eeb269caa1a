#include <gtest/gtest.h>

#include "absl/strings/match.h"
#include "domain/page.h"

namespace compliance {
namespace {

TEST(PageSize, DefaultsCapsAndRejectsNegative) {
  EXPECT_EQ(*EffectivePageSize(0), 50);
  EXPECT_EQ(*EffectivePageSize(1), 1);
  EXPECT_EQ(*EffectivePageSize(1000), 1000);
  EXPECT_EQ(*EffectivePageSize(1001), 1000);
  EXPECT_EQ(EffectivePageSize(-1).status().message(), "page_size: must not be negative");
}

TEST(PageToken, RoundTripsTheCursor) {
  const std::string filters = FilterFingerprint("a=1");
  const std::string token =
      EncodePageToken(filters, PageCursor{"1767225600000000", "id:with\ncolons"});
  auto cursor = DecodePageToken(token, filters);
  ASSERT_TRUE(cursor.ok());
  ASSERT_TRUE(cursor->has_value());
  EXPECT_EQ((*cursor)->sort_key, "1767225600000000");
  EXPECT_EQ((*cursor)->id, "id:with\ncolons");
}

TEST(PageToken, EmptyMeansFirstPage) {
  auto cursor = DecodePageToken("", FilterFingerprint("x"));
  ASSERT_TRUE(cursor.ok());
  EXPECT_FALSE(cursor->has_value());
}

TEST(PageToken, RejectsOtherFiltersAndGarbage) {
  const std::string token = EncodePageToken(FilterFingerprint("a=1"), PageCursor{"1", "x"});
  auto other = DecodePageToken(token, FilterFingerprint("a=2"));
  EXPECT_EQ(other.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(absl::StartsWith(other.status().message(), "page_token: "));
  for (const char* garbage : {"!!!", "bm90IGEgdG9rZW4", "cDEKYWJj"}) {
    auto bad = DecodePageToken(garbage, FilterFingerprint("a=1"));
    EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument) << garbage;
  }
}

}  // namespace
}  // namespace compliance

namespace compliance {
namespace {

TEST(TimeCursor, RoundTripsAtMicrosecondsAndRejectsOtherTokens) {
  const std::string filters = FilterFingerprint("evidence");
  const TimeCursor cursor{absl::FromUnixMicros(1795000000123456), "0b7c6c1e-8f0a-4a53"};
  auto decoded = DecodeTimeCursor(EncodeTimeCursor(filters, cursor), filters);
  ASSERT_TRUE(decoded.ok() && decoded->has_value());
  EXPECT_EQ((*decoded)->time, cursor.time);
  EXPECT_EQ((*decoded)->id, cursor.id);
  EXPECT_FALSE(DecodeTimeCursor("", filters)->has_value());
  const std::string not_a_time = EncodePageToken(filters, PageCursor{"yesterday", "x"});
  EXPECT_EQ(DecodeTimeCursor(not_a_time, filters).status().code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace compliance
