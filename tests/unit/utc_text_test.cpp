#include "domain/utc_text.h"

#include <google/protobuf/util/time_util.h>
#include <gtest/gtest.h>

#include <random>
#include <string>

namespace compliance {
namespace {

using google::protobuf::util::TimeUtil;

std::string Rfc3339(int64_t seconds, int32_t nanos) {
  std::string out;
  AppendRfc3339(out, seconds, nanos);
  return out;
}

std::string Timestamptz(absl::Time time) {
  std::string out;
  AppendTimestamptz(out, time);
  return out;
}

// The formatters this one replaces, on the same input.
std::string ProtobufText(int64_t seconds, int32_t nanos) {
  google::protobuf::Timestamp time;
  time.set_seconds(seconds);
  time.set_nanos(nanos);
  return TimeUtil::ToString(time);
}

std::string AbslTimestamptz(absl::Time time) {
  return absl::FormatTime("%E4Y-%m-%d %H:%M:%E6S+00", time, absl::UTCTimeZone());
}

TEST(UtcTextTest, KnownTimes) {
  EXPECT_EQ(Rfc3339(0, 0), "1970-01-01T00:00:00Z");
  EXPECT_EQ(Rfc3339(1793520000, 0), "2026-11-01T08:00:00Z");
  EXPECT_EQ(Rfc3339(951782400, 500000000), "2000-02-29T00:00:00.500Z");
  EXPECT_EQ(Rfc3339(-1, 999999000), "1969-12-31T23:59:59.999999Z");
  EXPECT_EQ(Rfc3339(1, 1), "1970-01-01T00:00:01.000000001Z");
  EXPECT_EQ(Rfc3339(-62135596800, 0), "0001-01-01T00:00:00Z");
  EXPECT_EQ(Rfc3339(253402300799, 999999999), "9999-12-31T23:59:59.999999999Z");
  EXPECT_EQ(Timestamptz(absl::FromUnixMicros(-1)), "1969-12-31 23:59:59.999999+00");
  EXPECT_EQ(Timestamptz(absl::FromUnixSeconds(1793520000) + absl::Nanoseconds(1999)),
            "2026-11-01 08:00:00.000001+00");
}

// Every day of the supported years' extremes and random instants across them, at each
// fractional precision, spelled exactly as protobuf and absl spell them.
TEST(UtcTextTest, MatchesProtobufAndAbsl) {
  constexpr int64_t kFirst = -62135596800;  // 0001-01-01T00:00:00Z
  constexpr int64_t kLast = 253402300799;   // 9999-12-31T23:59:59Z
  std::mt19937_64 random(27001);
  std::uniform_int_distribution<int64_t> instant(kFirst, kLast);
  std::uniform_int_distribution<int32_t> nanos(0, 999999999);
  for (int i = 0; i < 20000; ++i) {
    const int64_t seconds = i < 1500   ? kFirst + i * 86399LL
                            : i < 3000 ? kLast - (i - 1500) * 86399LL
                                       : instant(random);
    const int32_t n = nanos(random);
    for (const int32_t fraction : {0, n / 1000000 * 1000000, n / 1000 * 1000, n}) {
      ASSERT_EQ(Rfc3339(seconds, fraction), ProtobufText(seconds, fraction));
      const absl::Time time = absl::FromUnixSeconds(seconds) + absl::Nanoseconds(fraction);
      ASSERT_EQ(Timestamptz(time), AbslTimestamptz(time));
    }
  }
}

TEST(UtcTextTest, AppendsToWhatIsThere) {
  std::string out = "at ";
  AppendUtcDateTime(out, 86400 * 365, ' ');
  EXPECT_EQ(out, "at 1971-01-01 00:00:00");
}

}  // namespace
}  // namespace compliance
