#include "enum_words.h"

#include <gtest/gtest.h>

#include "compliance/v1/action.pb.h"
#include "compliance/v1/evidence.pb.h"
#include "compliance/v1/requirement.pb.h"

namespace compliance::cli {
namespace {

// Every value of every enum the CLI reads comes back from its own word: a value added to the
// proto is a word of the CLI with no other edit.
template <typename Enum>
void ExpectEveryValueRoundTrips() {
  const auto& descriptor = *google::protobuf::GetEnumDescriptor<Enum>();
  const EnumWords& words = EnumWords::Of<Enum>();
  for (int i = 0; i < descriptor.value_count(); ++i) {
    const auto& value = *descriptor.value(i);
    const auto word = words.Word(value.number());
    ASSERT_TRUE(word.has_value()) << value.name();
    if (value.number() == 0) {
      EXPECT_FALSE(words.Parse(*word).has_value()) << "UNSPECIFIED is never a choice";
      continue;
    }
    EXPECT_EQ(words.Parse(*word), value.number()) << value.name();
    EXPECT_EQ(words.Parse(value.name()), value.number()) << value.name();
  }
  EXPECT_FALSE(words.Word(descriptor.value_count() + 100).has_value());
}

TEST(EnumWords, EveryValueOfEveryEnumRoundTrips) {
  ExpectEveryValueRoundTrips<v1::ActionKind>();
  ExpectEveryValueRoundTrips<v1::ActionState>();
  ExpectEveryValueRoundTrips<v1::EvidenceKind>();
  ExpectEveryValueRoundTrips<v1::EvidenceState>();
  ExpectEveryValueRoundTrips<v1::Conformity>();
}

TEST(EnumWords, WordsAreTheValueNamesWithoutTheEnumsPrefix) {
  const EnumWords& kinds = EnumWords::Of<v1::EvidenceKind>();
  EXPECT_EQ(kinds.Word(v1::EVIDENCE_KIND_TRAINING_RECORD), "training-record");
  EXPECT_EQ(kinds.Parse("Training_Record"), v1::EVIDENCE_KIND_TRAINING_RECORD);
  EXPECT_EQ(kinds.Parse(" training-record "), v1::EVIDENCE_KIND_TRAINING_RECORD);
  EXPECT_FALSE(kinds.Parse("training record").has_value());
  EXPECT_EQ(kinds.Parse("evidence-kind-policy"), v1::EVIDENCE_KIND_POLICY);
  EXPECT_FALSE(kinds.Parse("memo").has_value());
  EXPECT_FALSE(kinds.Parse("").has_value());
  EXPECT_EQ(EnumWords::Of<v1::Conformity>().Word(v1::CONFORMITY_PARTIALLY_CONFORMING, ' '),
            "partially conforming");
  EXPECT_EQ(EnumWords::Of<v1::ActionState>().List("or"), "open, completed or cancelled");
  EXPECT_EQ(EnumWords::Of<v1::EvidenceState>().List(), "active, superseded, withdrawn");
}

}  // namespace
}  // namespace compliance::cli
