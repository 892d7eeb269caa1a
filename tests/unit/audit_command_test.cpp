// The pure helpers of `compliancectl audit`.
#include "audit_command.h"

#include <gtest/gtest.h>

namespace compliance::cli {
namespace {

TEST(ShortMethodName, KeepsWhatFollowsTheLastSlash) {
  EXPECT_EQ(ShortMethodName("/compliance.v1.EvidenceService/CreateEvidence"), "CreateEvidence");
  EXPECT_EQ(ShortMethodName("CreateEvidence"), "CreateEvidence");
  EXPECT_EQ(ShortMethodName(""), "");
}

TEST(AuditEventCells, OneLineEachAndDashesForEmptyCells) {
  v1::AuditEvent event;
  event.set_sequence(42);
  event.mutable_time()->set_seconds(1767225600);  // 2026-01-01T00:00:00Z
  event.set_actor("hr\nsync");
  event.set_method("/compliance.v1.ActionService/CompleteAction");
  event.set_resource("actions/3f1c9a7e-5b2d-4e8a-9c61-0d7e2b4a8f13");
  EXPECT_EQ(AuditEventCells(event),
            (std::vector<std::string>{"42", "2026-01-01T00:00:00Z", "hr sync", "CompleteAction",
                                      "actions/3f1c9a7e-5b2d-4e8a-9c61-0d7e2b4a8f13"}));
  const auto empty = AuditEventCells(v1::AuditEvent());
  EXPECT_EQ(empty[2], "-");
  EXPECT_EQ(empty[4], "-");
}

TEST(AuditFollowLine, FixedColumnsThatLongCellsPushAlong) {
  EXPECT_EQ(AuditFollowLine({"SEQ", "TIME", "ACTOR", "METHOD", "RESOURCE"}),
            "SEQ     TIME                  ACTOR         METHOD                RESOURCE");
  const std::string line =
      AuditFollowLine({"1234567", "2026-01-01T00:00:00Z", "a-rather-long-actor", "M", "r"});
  EXPECT_EQ(line, "1234567  2026-01-01T00:00:00Z  a-rather-long-actor  M                     r");
}

TEST(NextReconnectDelay, StartsAt200msDoublesAndStopsAt5s) {
  absl::Duration delay;
  std::vector<absl::Duration> delays;
  for (int i = 0; i < 8; ++i) delays.push_back(delay = NextReconnectDelay(delay));
  EXPECT_EQ(delays, (std::vector<absl::Duration>{absl::Milliseconds(200), absl::Milliseconds(400),
                                                 absl::Milliseconds(800), absl::Milliseconds(1600),
                                                 absl::Milliseconds(3200), absl::Seconds(5),
                                                 absl::Seconds(5), absl::Seconds(5)}));
  EXPECT_EQ(NextReconnectDelay(absl::ZeroDuration()), absl::Milliseconds(200));
}

TEST(SequenceCheck, PrintsEachEventOnceAndNoticesGaps) {
  using Verdict = SequenceCheck::Verdict;
  SequenceCheck check(10);
  EXPECT_EQ(check.Accept(11), Verdict::kNext);
  EXPECT_EQ(check.Accept(12), Verdict::kNext);
  EXPECT_EQ(check.Accept(12), Verdict::kRepeat);
  EXPECT_EQ(check.Accept(5), Verdict::kRepeat);
  EXPECT_EQ(check.last(), 12);
  EXPECT_EQ(check.Accept(15), Verdict::kGap);
  EXPECT_EQ(check.last(), 15);
  EXPECT_EQ(check.Accept(16), Verdict::kNext);
  EXPECT_EQ(SequenceCheck(0).Accept(1), Verdict::kNext);
}

}  // namespace
}  // namespace compliance::cli
