#include "store/read_cache.h"

#include <gtest/gtest.h>

namespace compliance {
namespace {

const absl::Time kT0 = absl::FromUnixSeconds(1790000000);

TEST(ReadCache, KeepsNothingWhileNobodyListensForChanges) {
  ChangeSignal changes;
  ReadCache<int> cache(changes, absl::Seconds(60));
  cache.Store("k", 1, cache.Generation(), kT0, kT0 + absl::Hours(1));
  EXPECT_FALSE(cache.Find("k", kT0).has_value());
}

TEST(ReadCache, AnswersOnlyInsideTheSpanNoFigureFlips) {
  ChangeSignal changes;
  changes.SetListening(true);
  ReadCache<int> cache(changes, absl::Seconds(60));
  cache.Store("k", 7, cache.Generation(), kT0, kT0 + absl::Seconds(10));
  EXPECT_EQ(cache.Find("k", kT0), 7);
  EXPECT_EQ(cache.Find("k", kT0 + absl::Seconds(10) - absl::Microseconds(1)), 7);
  EXPECT_FALSE(cache.Find("k", kT0 + absl::Seconds(10)).has_value());  // an action fell due
  EXPECT_FALSE(cache.Find("k", kT0 - absl::Microseconds(1)).has_value());
  EXPECT_FALSE(cache.Find("other", kT0).has_value());
}

TEST(ReadCache, AnyChangeOrAChangeDuringTheReadDiscardsTheAnswer) {
  ChangeSignal changes;
  changes.SetListening(true);
  ReadCache<int> cache(changes, absl::Seconds(60));
  const uint64_t before_read = cache.Generation();
  changes.Changed();  // a commit while the query ran
  cache.Store("k", 1, before_read, kT0, absl::InfiniteFuture());
  EXPECT_FALSE(cache.Find("k", kT0).has_value());

  cache.Store("k", 2, cache.Generation(), kT0, absl::InfiniteFuture());
  EXPECT_EQ(cache.Find("k", kT0), 2);
  changes.SetListening(false);  // the listener dropped: notifications may be missed
  EXPECT_FALSE(cache.Find("k", kT0).has_value());
  changes.SetListening(true);
  EXPECT_FALSE(cache.Find("k", kT0).has_value());  // nor does reconnecting revive it
}

TEST(ReadCache, MaxAgeBoundsWhatAnOutOfBandEditCanHide) {
  ChangeSignal changes;
  changes.SetListening(true);
  ReadCache<int> cache(changes, absl::ZeroDuration());
  cache.Store("k", 1, cache.Generation(), kT0, absl::InfiniteFuture());
  EXPECT_FALSE(cache.Find("k", kT0).has_value());
}

}  // namespace
}  // namespace compliance
