#include "api/wire_memo.h"

#include <google/protobuf/util/message_differencer.h>
#include <grpcpp/support/byte_buffer.h>
#include <gtest/gtest.h>

#include "api/raw_messages.h"
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

std::string Bytes(const grpc::ByteBuffer& buffer) {
  std::vector<grpc::Slice> slices;
  EXPECT_TRUE(buffer.Dump(&slices).ok());
  std::string bytes;
  for (const auto& slice : slices) bytes.append(slice.begin(), slice.end());
  return bytes;
}

TEST(SetAnswerTest, ACachedPageAndAFreshTokenParseAsOneAnswer) {
  v1::ListRequirementsResponse direct;
  *direct.add_requirements() = Sample("5.1.a", false);
  *direct.add_requirements() = Sample("5.1.b", true);
  direct.set_next_page_token("next");

  v1::ListRequirementsResponse page;
  *page.add_requirements() = Sample("5.1.a", false);
  *page.add_requirements() = Sample("5.1.b", true);
  v1::ListRequirementsResponse token;
  token.set_next_page_token("next");
  grpc::ByteBuffer answer;
  SetAnswer(answer,
            {grpc::Slice(page.SerializeAsString()), grpc::Slice(token.SerializeAsString())});

  v1::ListRequirementsResponse parsed;
  ASSERT_TRUE(parsed.ParseFromString(Bytes(answer)));
  EXPECT_TRUE(MessageDifferencer::Equals(parsed, direct)) << parsed.DebugString();
  EXPECT_TRUE(parsed.GetReflection()->GetUnknownFields(parsed).empty());
}

TEST(SetAnswerTest, SharesTheSlicesBytes) {
  const grpc::Slice cached(Sample("5.1.c", false).SerializeAsString());
  grpc::ByteBuffer answer;
  SetAnswer(answer, {cached});
  grpc::Slice sent;
  ASSERT_TRUE(answer.TrySingleSlice(&sent).ok());
  EXPECT_EQ(sent.begin(), cached.begin());  // a reference, not a copy
}

TEST(ParseRequestTest, ParsesWhatATypedMethodWould) {
  v1::ListRequirementsRequest request;
  request.set_clause("5.1");
  request.set_page_size(3);
  const std::string bytes = request.SerializeAsString();
  // Split across two slices, as a larger request may arrive.
  const grpc::Slice halves[] = {grpc::Slice(bytes.substr(0, 3)), grpc::Slice(bytes.substr(3))};
  v1::ListRequirementsRequest parsed;
  ASSERT_TRUE(ParseRequest(grpc::ByteBuffer(halves, 2), parsed));
  EXPECT_TRUE(MessageDifferencer::Equals(parsed, request));

  v1::ListRequirementsRequest empty;
  EXPECT_TRUE(ParseRequest(grpc::ByteBuffer(), empty));
  const grpc::Slice garbage(std::string("\xff\xff\xff"));
  EXPECT_FALSE(ParseRequest(grpc::ByteBuffer(&garbage, 1), empty));
}

struct Answer {
  std::string id;
};

class WireMemoTest : public ::testing::Test {
 protected:
  std::string Render(const Answer& answer) {
    ++renders_;
    // Longer than the bytes a slice keeps inline, as every real answer is.
    return answer.id + "@" + variant_ + std::string(64, '.');
  }
  grpc::Slice Get(const std::shared_ptr<const Answer>& answer, const std::string& variant) {
    variant_ = variant;
    return memo_.Get(answer, variant, [this](const Answer& a) { return Render(a); });
  }
  static std::string Text(const grpc::Slice& slice) {
    return std::string(slice.begin(), slice.end()).substr(0, 7);
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
  EXPECT_EQ(first.begin(), again.begin());  // the same bytes, not a copy
  EXPECT_EQ(Text(first), "5.1.a@0");
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
  EXPECT_EQ(Text(Get(answer, "1")), "5.1.a@1");
  EXPECT_EQ(Text(Get(answer, "1")), "5.1.a@1");
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
