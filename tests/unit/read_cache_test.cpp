#include "store/read_cache.h"

#include <gtest/gtest.h>

#include <optional>
#include <string>

#include "fake_clock.h"

namespace compliance::testing {
namespace {

const absl::Time kT0 = absl::FromUnixSeconds(1790000000);

// A cache whose ChangeSignal is vouched for by a listener, aged on a clock the test sets.
class ReadCacheTest : public ::testing::Test {
 protected:
  ReadCacheTest() { changes_.SetListening(true); }

  // The value held for `key` at `now`, or nullopt.
  std::optional<int> Held(const std::string& key, absl::Time now) const {
    const auto found = cache_.Find(key, now);
    return found ? std::optional<int>(*found) : std::nullopt;
  }

  ChangeSignal changes_;
  FakeClock clock_{kT0};
  ReadCache<int> cache_{changes_, absl::Seconds(60), clock_};
};

TEST_F(ReadCacheTest, KeepsNothingWhileNobodyListensForChanges) {
  changes_.SetListening(false);
  cache_.Store("k", 1, cache_.Generation(), kT0, kT0 + absl::Hours(1));
  EXPECT_EQ(cache_.Find("k", kT0), nullptr);
}

TEST_F(ReadCacheTest, AnswersOnlyInsideTheSpanNoFigureFlips) {
  cache_.Store("k", 7, cache_.Generation(), kT0, kT0 + absl::Seconds(10));
  EXPECT_EQ(Held("k", kT0), 7);
  EXPECT_EQ(Held("k", kT0 + absl::Seconds(10) - absl::Microseconds(1)), 7);
  EXPECT_EQ(cache_.Find("k", kT0 + absl::Seconds(10)), nullptr);  // an action fell due
  EXPECT_EQ(cache_.Find("k", kT0 - absl::Microseconds(1)), nullptr);
  EXPECT_EQ(cache_.Find("other", kT0), nullptr);
}

TEST_F(ReadCacheTest, AnyChangeOrAChangeDuringTheReadDiscardsTheAnswer) {
  const uint64_t before_read = cache_.Generation();
  changes_.Changed();  // a commit while the query ran
  cache_.Store("k", 1, before_read, kT0, absl::InfiniteFuture());
  EXPECT_EQ(cache_.Find("k", kT0), nullptr);

  cache_.Store("k", 2, cache_.Generation(), kT0, absl::InfiniteFuture());
  EXPECT_EQ(Held("k", kT0), 2);
  changes_.SetListening(false);  // the listener dropped: notifications may be missed
  EXPECT_EQ(cache_.Find("k", kT0), nullptr);
  changes_.SetListening(true);
  EXPECT_EQ(cache_.Find("k", kT0), nullptr);  // nor does reconnecting revive it
}

TEST_F(ReadCacheTest, MaxAgeBoundsWhatAnOutOfBandEditCanHide) {
  cache_.Store("k", 1, cache_.Generation(), kT0, absl::InfiniteFuture());
  clock_.Set(kT0 + absl::Seconds(60));
  EXPECT_EQ(Held("k", kT0), 1);  // exactly max_age old: still held
  clock_.Advance(absl::Microseconds(1));
  EXPECT_EQ(cache_.Find("k", kT0), nullptr);
}

TEST_F(ReadCacheTest, AgeIsMeasuredOnItsClockNotOnTheInstantAskedAbout) {
  // A read about a later instant (a client's chosen evaluation time) does not age the entry.
  cache_.Store("k", 1, cache_.Generation(), kT0, absl::InfiniteFuture());
  EXPECT_EQ(Held("k", kT0 + absl::Hours(1)), 1);
  // Nor does an entry stored later by the clock start any older.
  clock_.Set(kT0 + absl::Hours(2));
  cache_.Store("k", 2, cache_.Generation(), kT0, absl::InfiniteFuture());
  clock_.Advance(absl::Seconds(60));
  EXPECT_EQ(Held("k", kT0), 2);
  clock_.Advance(absl::Microseconds(1));
  EXPECT_EQ(cache_.Find("k", kT0), nullptr);
}

}  // namespace
}  // namespace compliance::testing
