#include "cli_values.h"

#include <gtest/gtest.h>

namespace compliance::cli {
namespace {

TEST(ExpandRequirementName, ShortFormGetsTheDefaultFramework) {
  EXPECT_EQ(ExpandRequirementName("5.1.a"), "frameworks/iso27001-2022/requirements/5.1.a");
  EXPECT_EQ(ExpandRequirementName("frameworks/x/requirements/y"), "frameworks/x/requirements/y");
}

TEST(HumanDuration, ParsesUnitsAndCombinations) {
  EXPECT_EQ(*ParseHumanDuration("180d"), absl::Hours(24 * 180));
  EXPECT_EQ(*ParseHumanDuration("2w"), absl::Hours(24 * 14));
  EXPECT_EQ(*ParseHumanDuration("1d12h"), absl::Hours(36));
  EXPECT_EQ(*ParseHumanDuration("90s"), absl::Seconds(90));
  for (const char* bad : {"", "d", "10", "10x", "-5d", "1.5d"}) {
    EXPECT_FALSE(ParseHumanDuration(bad).ok()) << bad;
  }
  EXPECT_EQ(FormatHumanDuration(absl::Hours(24 * 180)), "180d");
  EXPECT_EQ(FormatHumanDuration(absl::Hours(36)), "36h");
}

TEST(Conformity, AcceptsWordsInAnySpelling) {
  EXPECT_EQ(*ParseConformity("conforming"), 4);
  EXPECT_EQ(*ParseConformity("Partially-Conforming"), 3);
  EXPECT_EQ(*ParseConformity("CONFORMITY_NONCONFORMING"), 2);
  EXPECT_EQ(*ParseConformity("not_assessed"), 1);
  EXPECT_FALSE(ParseConformity("unspecified").ok());
  EXPECT_FALSE(ParseConformity("great").ok());
  EXPECT_EQ(ConformityWord(3), "partially conforming");
}

}  // namespace
}  // namespace compliance::cli
