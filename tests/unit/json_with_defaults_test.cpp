#include "http/json_with_defaults.h"

#include <google/protobuf/util/json_util.h>
#include <google/protobuf/util/time_util.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "compliance/v1/action.pb.h"
#include "compliance/v1/audit.pb.h"
#include "compliance/v1/evidence.pb.h"
#include "compliance/v1/report.pb.h"
#include "compliance/v1/requirement.pb.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"

namespace compliance {
namespace {

using google::protobuf::util::TimeUtil;

// What protobuf's own writer makes of the message, with defaults printed.
std::string ProtobufJson(const google::protobuf::Message& message) {
  google::protobuf::util::JsonPrintOptions options;
  options.always_print_primitive_fields = true;
  std::string json;
  EXPECT_TRUE(google::protobuf::util::MessageToJsonString(message, &json, options).ok());
  return json;
}

// The same JSON value as protobuf's writer: the same fields with the same values.
void ExpectSameAsProtobuf(const google::protobuf::Message& message) {
  const std::string ours = JsonWithDefaults(message);
  EXPECT_EQ(nlohmann::json::parse(ours), nlohmann::json::parse(ProtobufJson(message)))
      << "ours:     " << ours << "\nprotobuf: " << ProtobufJson(message);
}

TEST(JsonWithDefaults, EmptyMessagesPrintTheirDefaults) {
  ExpectSameAsProtobuf(v1::Requirement());
  ExpectSameAsProtobuf(v1::Evidence());
  ExpectSameAsProtobuf(v1::LeadershipAction());
  ExpectSameAsProtobuf(v1::GetReadinessResponse());
  ExpectSameAsProtobuf(v1::ListAuditEventsResponse());
}

TEST(JsonWithDefaults, FilledResourcesMatchProtobufsWriter) {
  v1::GetRequirementResponse got;
  auto* r = got.mutable_requirement();
  r->set_name("frameworks/iso27001-2022/requirements/5.1.a");
  r->add_evidence_guidance("Signed policy <v3> & \"objectives\"\n\u00ad\u200b\U0001F600");
  r->set_conformity(v1::CONFORMITY_CONFORMING);
  *r->mutable_review_interval() = TimeUtil::SecondsToDuration(86400 * 365);
  *r->mutable_last_review_time() = TimeUtil::NanosecondsToTimestamp(1764979200123456789);
  r->set_valid_evidence_count(-3);
  r->set_review_overdue(true);
  ExpectSameAsProtobuf(got);

  v1::Evidence evidence;
  (*evidence.mutable_labels())["team"] = "isms";
  (*evidence.mutable_labels())["zone"] = "é";
  evidence.set_kind(static_cast<v1::EvidenceKind>(77));  // a value this build does not know
  *evidence.mutable_expire_time() = TimeUtil::SecondsToTimestamp(0);
  ExpectSameAsProtobuf(evidence);

  v1::GetReadinessResponse readiness;
  readiness.set_score(0.875);
  readiness.add_requirements()->add_gaps(v1::READINESS_GAP_NO_OWNER);
  ExpectSameAsProtobuf(readiness);
  readiness.set_score(1.0 / 3);
  ExpectSameAsProtobuf(readiness);

  v1::GetInclusionProofResponse proof;
  proof.set_leaf_index(9007199254740993);
  proof.add_hashes(std::string("\x00\xff\x10 binary", 10));
  proof.mutable_audit_event()->set_sequence(-1);
  ExpectSameAsProtobuf(proof);

  v1::UpdateActionRequest update;
  update.mutable_update_mask()->add_paths("due_time");
  update.mutable_update_mask()->add_paths("evidence_required");
  *update.mutable_action()->mutable_recurrence() = TimeUtil::MillisecondsToDuration(1500);
  ExpectSameAsProtobuf(update);
}

TEST(JsonWithDefaults, AMessageHoldingAnAnyIsLeftToProtobufsWriter) {
  google::rpc::BadRequest bad_request;
  bad_request.add_field_violations()->set_field("evidence.title");
  google::rpc::Status status;
  status.set_code(3);
  status.add_details()->PackFrom(bad_request);
  EXPECT_EQ(JsonWithDefaults(status), ProtobufJson(status));
  EXPECT_NE(JsonWithDefaults(status).find("type.googleapis.com/google.rpc.BadRequest"),
            std::string::npos);
}

}  // namespace
}  // namespace compliance
