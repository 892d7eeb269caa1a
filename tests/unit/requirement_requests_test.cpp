#include "api/requirement_requests.h"

#include <gtest/gtest.h>

#include "absl/strings/match.h"

namespace compliance {
namespace {

constexpr char kName[] = "frameworks/iso27001-2022/requirements/5.1.a";

void ExpectInvalid(const absl::Status& status, const std::string& field) {
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << status;
  EXPECT_TRUE(absl::StartsWith(status.message(), field + ": ")) << status.message();
}

v1::UpdateRequirementRequest Update(const std::vector<std::string>& paths) {
  v1::UpdateRequirementRequest request;
  request.mutable_requirement()->set_name(kName);
  for (const auto& path : paths) request.mutable_update_mask()->add_paths(path);
  return request;
}

TEST(ParseUpdateRequirement, SelectsMaskedFieldsOnly) {
  auto request = Update({"owner"});
  request.mutable_requirement()->set_owner("ciso");
  request.mutable_requirement()->set_notes("ignored: not in the mask");
  auto update = ParseUpdateRequirement(request);
  ASSERT_TRUE(update.ok()) << update.status();
  EXPECT_EQ(update->key.id, "5.1.a");
  EXPECT_EQ(update->changes.owner, "ciso");
  EXPECT_FALSE(update->changes.notes.has_value());
  EXPECT_FALSE(update->changes.review_interval.has_value());
}

TEST(ParseUpdateRequirement, EmptyMaskTakesPopulatedFields) {
  auto request = Update({});
  request.mutable_requirement()->set_notes("n");
  request.mutable_requirement()->mutable_review_interval()->set_seconds(86400 * 90);
  auto update = ParseUpdateRequirement(request);
  ASSERT_TRUE(update.ok()) << update.status();
  EXPECT_FALSE(update->changes.owner.has_value());
  EXPECT_EQ(update->changes.notes, "n");
  EXPECT_EQ(update->changes.review_interval, absl::Hours(24 * 90));
  ExpectInvalid(ParseUpdateRequirement(Update({})).status(), "update_mask");
}

TEST(ParseUpdateRequirement, StarClearsUnsetFieldsToDefaults) {
  auto update = ParseUpdateRequirement(Update({"*"}));
  ASSERT_TRUE(update.ok()) << update.status();
  EXPECT_EQ(update->changes.owner, "");
  EXPECT_EQ(update->changes.notes, "");
  EXPECT_EQ(update->changes.review_interval, kDefaultReviewInterval);
  ExpectInvalid(ParseUpdateRequirement(Update({"*", "owner"})).status(), "update_mask");
}

TEST(ParseUpdateRequirement, RejectsUnknownAndOutputOnlyPaths) {
  ExpectInvalid(ParseUpdateRequirement(Update({"bogus"})).status(), "update_mask");
  const auto conformity = ParseUpdateRequirement(Update({"conformity"})).status();
  ExpectInvalid(conformity, "update_mask");
  EXPECT_TRUE(absl::StrContains(conformity.message(), "ReviewRequirement"));
  ExpectInvalid(ParseUpdateRequirement(Update({"title"})).status(), "update_mask");
}

TEST(ParseUpdateRequirement, ValidatesEveryWritableField) {
  ExpectInvalid(ParseUpdateRequirement(v1::UpdateRequirementRequest()).status(), "requirement");

  auto bad_name = Update({"owner"});
  bad_name.mutable_requirement()->set_name("5.1.a");
  ExpectInvalid(ParseUpdateRequirement(bad_name).status(), "requirement.name");

  auto long_owner = Update({"owner"});
  long_owner.mutable_requirement()->set_owner(std::string(257, 'o'));
  ExpectInvalid(ParseUpdateRequirement(long_owner).status(), "requirement.owner");

  auto long_notes = Update({"notes"});
  long_notes.mutable_requirement()->set_notes(std::string(4001, 'n'));
  ExpectInvalid(ParseUpdateRequirement(long_notes).status(), "requirement.notes");

  auto short_interval = Update({"review_interval"});
  short_interval.mutable_requirement()->mutable_review_interval()->set_seconds(3600);
  ExpectInvalid(ParseUpdateRequirement(short_interval).status(), "requirement.review_interval");

  auto broken_interval = Update({"review_interval"});
  broken_interval.mutable_requirement()->mutable_review_interval()->set_seconds(86400);
  broken_interval.mutable_requirement()->mutable_review_interval()->set_nanos(-1);
  ExpectInvalid(ParseUpdateRequirement(broken_interval).status(), "requirement.review_interval");
}

TEST(ParseUpdateRequirement, KeepsBothEtags) {
  auto request = Update({"owner"});
  request.set_etag("r3");
  request.mutable_requirement()->set_etag("r2");
  auto update = ParseUpdateRequirement(request);
  ASSERT_TRUE(update.ok());
  EXPECT_EQ(update->request_etag, "r3");
  EXPECT_EQ(update->resource_etag, "r2");
}

TEST(ParseListRequirements, ValidatesFiltersAndPaging) {
  v1::ListRequirementsRequest request;
  auto query = ParseListRequirements(request);
  ASSERT_TRUE(query.ok());
  EXPECT_EQ(query->page_size, 50);
  EXPECT_EQ(query->after_position, 0);

  request.set_page_size(-1);
  ExpectInvalid(ParseListRequirements(request).status(), "page_size");
  request.set_page_size(5000);
  EXPECT_EQ(ParseListRequirements(request)->page_size, 1000);

  v1::ListRequirementsRequest framework;
  framework.set_framework("ISO 27001");
  ExpectInvalid(ParseListRequirements(framework).status(), "framework");

  v1::ListRequirementsRequest clause;
  clause.set_clause("5/1");
  ExpectInvalid(ParseListRequirements(clause).status(), "clause");

  v1::ListRequirementsRequest conformity;
  conformity.set_conformity(static_cast<v1::Conformity>(42));
  ExpectInvalid(ParseListRequirements(conformity).status(), "conformity");
}

TEST(ParseListRequirements, TokensContinueOnlyTheSameFilters) {
  v1::ListRequirementsRequest request;
  request.set_clause("5.1");
  auto first = ParseListRequirements(request);
  ASSERT_TRUE(first.ok());
  request.set_page_token(NextRequirementsPageToken(*first, 30));
  auto second = ParseListRequirements(request);
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_EQ(second->after_position, 30);

  request.set_review_overdue_only(true);
  ExpectInvalid(ParseListRequirements(request).status(), "page_token");
  request.set_review_overdue_only(false);
  request.set_page_token("garbage");
  ExpectInvalid(ParseListRequirements(request).status(), "page_token");
}

TEST(ParseReviewRequirement, DefaultsTimeAndChecksFields) {
  const absl::Time now = absl::FromUnixSeconds(1767225600);
  v1::ReviewRequirementRequest request;
  request.set_name(kName);
  request.set_conformity(v1::CONFORMITY_CONFORMING);
  auto review = ParseReviewRequirement(request, "alice", now);
  ASSERT_TRUE(review.ok()) << review.status();
  EXPECT_EQ(review->review.review_time, now);
  EXPECT_EQ(review->review.reviewer, "alice");

  auto unspecified = request;
  unspecified.set_conformity(v1::CONFORMITY_UNSPECIFIED);
  ExpectInvalid(ParseReviewRequirement(unspecified, "a", now).status(), "conformity");

  auto future = request;
  future.mutable_review_time()->set_seconds(1767225600 + 60);
  ExpectInvalid(ParseReviewRequirement(future, "a", now).status(), "review_time");

  auto short_name = request;
  short_name.set_name("5.1.a");
  ExpectInvalid(ParseReviewRequirement(short_name, "a", now).status(), "name");

  auto notes = request;
  notes.set_notes(std::string(4001, 'x'));
  ExpectInvalid(ParseReviewRequirement(notes, "a", now).status(), "notes");
}

}  // namespace
}  // namespace compliance
