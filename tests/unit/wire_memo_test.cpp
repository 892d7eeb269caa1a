#include "api/wire_memo.h"

#include <google/protobuf/util/message_differencer.h>
#include <gtest/gtest.h>

#include "compliance/v1/requirement.pb.h"

namespace compliance::testing {
namespace {

using google::protobuf::util::MessageDifferencer;

v1::Requirement Sample(const std::string& id, bool overdue) {
  v1::Requirement requirement;
  requirement.set_name("frameworks/iso27001-2022/requirements/" + id);
  requirement.set_title("Leadership and commitment");
  requirement.add_evidence_guidance("Minutes of the management review");
  requirement.add_evidence_guidance("Signed policy");
  requirement.mutable_next_review_time()->set_seconds(1'800'000'000);
  requirement.set_review_overdue(overdue);
  requirement.set_valid_evidence_count(3);
  return requirement;
}

TEST(AppendSerializedTest, TheAnswerParsesAsIfTheFieldHadBeenSet) {
  v1::ListRequirementsResponse direct;
  *direct.add_requirements() = Sample("5.1.a", false);
  *direct.add_requirements() = Sample("5.1.b", true);
  direct.set_next_page_token("next");

  v1::ListRequirementsResponse memoized;
  AppendSerialized(
      memoized, v1::ListRequirementsResponse::kRequirementsFieldNumber,
      {Sample("5.1.a", false).SerializeAsString(), Sample("5.1.b", true).SerializeAsString()});
  memoized.set_next_page_token("next");

  v1::ListRequirementsResponse parsed;
  ASSERT_TRUE(parsed.ParseFromString(memoized.SerializeAsString()));
  EXPECT_TRUE(MessageDifferencer::Equals(parsed, direct)) << parsed.DebugString();
  EXPECT_TRUE(parsed.GetReflection()->GetUnknownFields(parsed).empty());
  EXPECT_EQ(parsed.requirements(1).name(), "frameworks/iso27001-2022/requirements/5.1.b");
}

TEST(AppendSerializedTest, ASingleMessageField) {
  v1::GetRequirementResponse memoized;
  AppendSerialized(memoized, v1::GetRequirementResponse::kRequirementFieldNumber,
                   {Sample("5.1.c", false).SerializeAsString()});
  v1::GetRequirementResponse parsed;
  ASSERT_TRUE(parsed.ParseFromString(memoized.SerializeAsString()));
  EXPECT_TRUE(MessageDifferencer::Equals(parsed.requirement(), Sample("5.1.c", false)));
}

struct Answer {
  std::string id;
};

class WireMemoTest : public ::testing::Test {
 protected:
  WireMemo<Answer>::Pieces Render(const Answer& answer) {
    ++renders_;
    return {answer.id + "@" + variant_};
  }
  std::shared_ptr<const WireMemo<Answer>::Pieces> Get(const std::shared_ptr<const Answer>& answer,
                                                      const std::string& variant) {
    variant_ = variant;
    return memo_.Get(answer, variant, [this](const Answer& a) { return Render(a); });
  }

  WireMemo<Answer> memo_;
  std::string variant_;
  int renders_ = 0;
};

TEST_F(WireMemoTest, RendersEachSharedAnswerOnce) {
  auto answer = std::make_shared<const Answer>(Answer{"5.1.a"});
  const auto first = Get(answer, "0");
  const auto again = Get(answer, "0");
  EXPECT_EQ(renders_, 1);
  EXPECT_EQ(first, again);
  EXPECT_EQ(first->at(0), "5.1.a@0");
}

TEST_F(WireMemoTest, AnEqualButDistinctAnswerIsRenderedAfresh) {
  // The cache made a new answer (after a write, say): identity, not content, decides.
  auto old_answer = std::make_shared<const Answer>(Answer{"5.1.a"});
  auto new_answer = std::make_shared<const Answer>(Answer{"5.1.a"});
  Get(old_answer, "0");
  Get(new_answer, "0");
  EXPECT_EQ(renders_, 2);
}

TEST_F(WireMemoTest, AnotherVariantIsRenderedAfresh) {
  // A review fell due between two calls answered from the same value.
  auto answer = std::make_shared<const Answer>(Answer{"5.1.a"});
  Get(answer, "0");
  EXPECT_EQ(Get(answer, "1")->at(0), "5.1.a@1");
  EXPECT_EQ(Get(answer, "1")->at(0), "5.1.a@1");
  EXPECT_EQ(renders_, 2);
}

TEST_F(WireMemoTest, AnswersNoLongerHeldAreDropped) {
  for (int i = 0; i < 1000; ++i) {
    Get(std::make_shared<const Answer>(Answer{std::to_string(i)}), "0");
  }
  auto live = std::make_shared<const Answer>(Answer{"live"});
  Get(live, "0");
  EXPECT_LT(memo_.size(), 300u);
  Get(live, "0");
  EXPECT_EQ(renders_, 1001);  // the live answer was kept
}

}  // namespace
}  // namespace compliance::testing
