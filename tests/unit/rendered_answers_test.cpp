#include "http/rendered_answers.h"

#include <gtest/gtest.h>

#include "compliance/v1/evidence.pb.h"
#include "compliance/v1/requirement.pb.h"
#include "http/json_with_defaults.h"

namespace compliance {
namespace {

grpc::ByteBuffer BytesOf(const std::string& bytes) {
  grpc::Slice slice(bytes);
  return grpc::ByteBuffer(&slice, 1);
}

v1::GetRequirementResponse Answer(const std::string& notes) {
  v1::GetRequirementResponse answer;
  answer.mutable_requirement()->set_name("frameworks/iso27001-2022/requirements/5.1.a");
  answer.mutable_requirement()->set_notes(notes);
  answer.mutable_requirement()->set_etag("\"7\"");
  return answer;
}

grpc::ByteBuffer BytesOf(const google::protobuf::Message& message) {
  return BytesOf(message.SerializeAsString());
}

const v1::GetRequirementResponse& kType = v1::GetRequirementResponse::default_instance();

TEST(RenderedAnswers, RendersTheAnswersJsonAndEtag) {
  RenderedAnswers answers;
  const auto answer = Answer("reviewed by the board");
  const auto rendered = answers.Render(kType, BytesOf(answer), true);
  ASSERT_TRUE(rendered.ok()) << rendered.status();
  EXPECT_EQ((*rendered)->json, JsonWithDefaults(answer));
  EXPECT_EQ((*rendered)->etag, "\"7\"");
}

TEST(RenderedAnswers, AnEqualAnswerReusesTheRenderingAndAnotherDoesNot) {
  RenderedAnswers answers;
  const auto first = answers.Render(kType, BytesOf(Answer("a")), true);
  const auto again = answers.Render(kType, BytesOf(Answer("a")), true);
  const auto other = answers.Render(kType, BytesOf(Answer("b")), true);
  ASSERT_TRUE(first.ok() && again.ok() && other.ok());
  EXPECT_EQ(first->get(), again->get());
  EXPECT_NE(first->get(), other->get());
  EXPECT_EQ((*other)->json, JsonWithDefaults(Answer("b")));
  EXPECT_EQ(answers.size(), 2u);
}

TEST(RenderedAnswers, TheSameBytesOfAnotherTypeRenderAsThatType) {
  RenderedAnswers answers;
  // Empty bytes are a valid answer of any type: each renders its own defaults.
  const auto requirement = answers.Render(kType, BytesOf(""), true);
  const auto evidence =
      answers.Render(v1::GetEvidenceResponse::default_instance(), BytesOf(""), true);
  ASSERT_TRUE(requirement.ok() && evidence.ok());
  EXPECT_EQ((*requirement)->json, JsonWithDefaults(v1::GetRequirementResponse()));
  EXPECT_EQ((*evidence)->json, JsonWithDefaults(v1::GetEvidenceResponse()));
}

TEST(RenderedAnswers, KeepsOnlyWhatItIsAskedToAndWhatIsSmallEnough) {
  RenderedAnswers answers;
  ASSERT_TRUE(answers.Render(kType, BytesOf(Answer("a")), false).ok());
  EXPECT_EQ(answers.size(), 0u);
  const auto large = Answer(std::string(RenderedAnswers::kMaxKeptBytes, 'n'));
  const auto rendered = answers.Render(kType, BytesOf(large), true);
  ASSERT_TRUE(rendered.ok());
  EXPECT_EQ((*rendered)->json, JsonWithDefaults(large));
  EXPECT_EQ(answers.size(), 0u);
}

TEST(RenderedAnswers, DropsWhatItKeptWhenItWouldHoldTooMuch) {
  RenderedAnswers answers;
  // Each answer costs over 40 KiB (its bytes and its JSON): the bound is passed within 400.
  const std::string notes(20 * 1024, 'n');
  size_t most = 0;
  for (int i = 0; i < 400; ++i) {
    ASSERT_TRUE(answers.Render(kType, BytesOf(Answer(notes + std::to_string(i))), true).ok());
    most = std::max(most, answers.size());
  }
  EXPECT_LT(most, 400u);
  EXPECT_LE(most * 2 * notes.size(), RenderedAnswers::kMaxTotalBytes);
}

TEST(RenderedAnswers, BytesThatDoNotParseAreAnInternalError) {
  RenderedAnswers answers;
  const auto rendered = answers.Render(kType, BytesOf(std::string("\xff\xff\xff", 3)), true);
  EXPECT_EQ(rendered.status().code(), absl::StatusCode::kInternal);
  EXPECT_EQ(answers.size(), 0u);
}

}  // namespace
}  // namespace compliance
