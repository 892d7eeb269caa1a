#include <gtest/gtest.h>

#include "domain/names.h"
#include "domain/text.h"

namespace compliance {
namespace {

TEST(RequirementName, ParsesFullNames) {
  auto key = ParseRequirementName("name", "frameworks/iso27001-2022/requirements/5.1.h");
  ASSERT_TRUE(key.ok());
  EXPECT_EQ(key->framework, "iso27001-2022");
  EXPECT_EQ(key->id, "5.1.h");
  EXPECT_EQ(key->Name(), "frameworks/iso27001-2022/requirements/5.1.h");
}

TEST(RequirementName, RejectsShortAndMalformedNames) {
  for (const char* bad :
       {"", "5.1.a", "frameworks/iso27001-2022/requirements/", "frameworks//requirements/5.1.a",
        "Frameworks/x/requirements/5.1.a", "frameworks/ISO/requirements/5.1.a",
        "frameworks/iso27001-2022/requirements/5.1.a/extra",
        "frameworks/iso27001-2022/controls/5.1.a"}) {
    auto key = ParseRequirementName("requirement.name", bad);
    EXPECT_EQ(key.status().code(), absl::StatusCode::kInvalidArgument) << bad;
    EXPECT_EQ(key.status().message().substr(0, 18), "requirement.name: ") << bad;
  }
}

TEST(UuidName, AcceptsOnlyCanonicalLowercase) {
  EXPECT_EQ(*ParseUuidName("name", "evidence", "evidence/0b7c6c1e-8f0a-4a53-9d7e-0c6a2b1f9e01"),
            "0b7c6c1e-8f0a-4a53-9d7e-0c6a2b1f9e01");
  for (const char* bad : {"evidence/0B7C6C1E-8F0A-4A53-9D7E-0C6A2B1F9E01", "evidence/123",
                          "actions/0b7c6c1e-8f0a-4a53-9d7e-0c6a2b1f9e01", ""}) {
    EXPECT_EQ(ParseUuidName("name", "evidence", bad).status().code(),
              absl::StatusCode::kInvalidArgument)
        << bad;
  }
}

TEST(Text, CountsCodePointsAndRejectsInvalidUtf8) {
  EXPECT_EQ(CodePointCount("abc"), 3u);
  EXPECT_EQ(CodePointCount("h\xC3\xA9llo"), 5u);             // é
  EXPECT_EQ(CodePointCount("\xF0\x9F\x98\x80"), 1u);         // 😀
  EXPECT_FALSE(CodePointCount("\xC3").has_value());          // truncated
  EXPECT_FALSE(CodePointCount("\xC0\xAF").has_value());      // overlong
  EXPECT_FALSE(CodePointCount("\xED\xA0\x80").has_value());  // surrogate
  EXPECT_TRUE(CheckText("title", "x", 1, 200).ok());
  EXPECT_EQ(CheckText("title", "", 1, 200).message(), "title: must be 1–200 characters");
  EXPECT_EQ(CheckText("title", std::string("a\0b", 3), 1, 200).message(),
            "title: must not contain NUL characters");
}

}  // namespace
}  // namespace compliance
