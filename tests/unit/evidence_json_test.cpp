#include "api/evidence_json.h"

#include <google/protobuf/util/json_util.h>
#include <google/protobuf/util/message_differencer.h>
#include <gtest/gtest.h>

#include <string>

namespace compliance::testing {
namespace {

std::string Utf8(uint32_t cp) {
  std::string s;
  if (cp < 0x80) {
    s += static_cast<char>(cp);
  } else if (cp < 0x800) {
    s += static_cast<char>(0xC0 | (cp >> 6));
    s += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    s += static_cast<char>(0xE0 | (cp >> 12));
    s += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    s += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    s += static_cast<char>(0xF0 | (cp >> 18));
    s += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    s += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    s += static_cast<char>(0x80 | (cp & 0x3F));
  }
  return s;
}

std::string Protobuf(const v1::Evidence& evidence) {
  std::string json;
  EXPECT_TRUE(google::protobuf::util::MessageToJsonString(evidence, &json).ok());
  return json;
}

v1::Evidence Full() {
  v1::Evidence e;
  e.set_name("evidence/8f1c2a9e-0000-4000-8000-000000000001");
  e.add_requirements("frameworks/iso27001-2022/requirements/5.1.g");
  e.add_requirements("frameworks/iso27001-2022/requirements/5.1.a");
  e.set_kind(v1::EVIDENCE_KIND_TRAINING_RECORD);
  e.set_title("Security awareness training 2026");
  e.set_description("Annual refresher, \"all staff\" <finance & ops>");
  e.set_uri("https://hr.example.com/training/records/1?a=1&b=2");
  e.set_sha256(std::string(64, 'a'));
  e.set_source("hr-system");
  e.set_external_id("training-1");
  e.mutable_collect_time()->set_seconds(1790000000);
  e.mutable_expire_time()->set_seconds(1890000000);
  e.mutable_expire_time()->set_nanos(123456000);
  for (int i = 0; i < 16; ++i) (*e.mutable_labels())["key-" + std::to_string(i)] = "v";
  e.set_state(v1::EVIDENCE_STATE_SUPERSEDED);
  e.set_supersedes("evidence/8f1c2a9e-0000-4000-8000-000000000000");
  e.set_superseded_by("evidence/8f1c2a9e-0000-4000-8000-000000000002");
  e.set_withdraw_reason("uploaded twice");
  e.set_submitter("hr-sync");
  e.mutable_create_time()->set_seconds(1790000001);
  e.mutable_create_time()->set_nanos(100);
  e.set_expired(true);
  e.set_etag("3");
  return e;
}

TEST(EvidenceJson, EveryFieldSetReadsAsProtobufWritesIt) {
  v1::Evidence one_label = Full();
  one_label.mutable_labels()->erase("key-1");
  for (int i = 2; i < 16; ++i) one_label.mutable_labels()->erase("key-" + std::to_string(i));
  ASSERT_EQ(one_label.labels_size(), 1);
  EXPECT_EQ(EvidenceJson(one_label), Protobuf(one_label));

  // Many labels: protobuf writes them in its hash table's order, this writer in key order;
  // the documents read back as the same message.
  const std::string written = EvidenceJson(Full());
  v1::Evidence parsed;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(written, &parsed).ok()) << written;
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(parsed, Full()));
  EXPECT_LT(written.find("\"key-0\""), written.find("\"key-1\""));
  EXPECT_LT(written.find("\"key-1\""), written.find("\"key-10\""));
  EXPECT_LT(written.find("\"key-10\""), written.find("\"key-2\""));
}

TEST(EvidenceJson, DefaultsAreLeftOutAsProtobufLeavesThemOut) {
  v1::Evidence e;
  EXPECT_EQ(EvidenceJson(e), Protobuf(e));
  e.set_name("evidence/x");
  e.mutable_collect_time();  // present at the epoch: written
  EXPECT_EQ(EvidenceJson(e), Protobuf(e));
  e.set_kind(static_cast<v1::EvidenceKind>(99));  // a value this build does not name
  EXPECT_EQ(EvidenceJson(e), Protobuf(e));
}

TEST(EvidenceJson, TimesKeepTheirPrecisionAsProtobufWritesIt) {
  for (const int32_t nanos :
       {0, 100000000, 120000000, 123000000, 123400000, 123456000, 123456700, 1, 999999999}) {
    for (const int64_t seconds : {-62135596800LL, -1LL, 0LL, 1790000000LL, 253402300799LL}) {
      v1::Evidence e;
      e.mutable_collect_time()->set_seconds(seconds);
      e.mutable_collect_time()->set_nanos(nanos);
      EXPECT_EQ(EvidenceJson(e), Protobuf(e)) << seconds << "." << nanos;
    }
  }
}

// Every code point, alone and among others, escaped or not exactly as protobuf does it.
TEST(EvidenceJson, EveryCodePointIsEscapedAsProtobufEscapesIt) {
  std::string all;
  for (uint32_t cp = 1; cp < 0x110000; ++cp) {
    if (cp >= 0xD800 && cp < 0xE000) continue;  // not valid UTF-8
    all += Utf8(cp);
    if (all.size() > 4096 || cp == 0x10FFFF) {
      v1::Evidence e;
      e.set_title(all);
      (*e.mutable_labels())[all] = all;  // one label: its order cannot differ
      ASSERT_EQ(EvidenceJson(e), Protobuf(e)) << "around U+" << std::hex << cp;
      all.clear();
    }
  }
  v1::Evidence e;
  e.set_title(std::string("nul \0 inside", 12));
  EXPECT_EQ(EvidenceJson(e), Protobuf(e));
}

}  // namespace
}  // namespace compliance::testing
