#include "api/requirement_requests.h"

#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "api/proto_time.h"
#include "api/update_mask.h"
#include "domain/errors.h"
#include "domain/text.h"

namespace compliance {
namespace {

constexpr char kOwner[] = "owner";
constexpr char kReviewInterval[] = "review_interval";
constexpr char kNotes[] = "notes";

absl::Status CheckConformityValue(absl::string_view field, int value) {
  if (!v1::Conformity_IsValid(value)) {
    return FieldError(field, "is not a known Conformity value");
  }
  return absl::OkStatus();
}

// The mask paths an update selects: explicit, `*`, or (empty mask) every populated field.
absl::StatusOr<std::vector<std::string>> SelectedPaths(
    const v1::UpdateRequirementRequest& request) {
  static const std::vector<std::string> kWritable = {kOwner, kReviewInterval, kNotes};
  return UpdatePaths(
      request.requirement(), request.update_mask(), kWritable,
      [](const std::string& path) -> std::string {
        return path == "conformity" ? " (conformity changes through ReviewRequirement)" : "";
      });
}

// Binds page tokens to the filters they were issued for. Made only when a token is read or
// written: most lists are one page, and hashing the filters was a seventh of a cached list's
// time in the handler (perf).
std::string RequirementsFingerprint(const RequirementFilter& filter) {
  return FilterFingerprint(absl::StrCat("requirements\n", filter.framework, "\n", filter.clause,
                                        "\n", static_cast<int>(filter.conformity), "\n",
                                        filter.review_overdue_only));
}

}  // namespace

absl::StatusOr<ListRequirementsQuery> ParseListRequirements(
    const v1::ListRequirementsRequest& request) {
  ListRequirementsQuery query;
  auto& filter = query.filter;
  filter.framework = request.framework();
  filter.clause = request.clause();
  if (!filter.framework.empty() && !IsFrameworkId(filter.framework)) {
    return FieldError("framework", "must be a framework id like iso27001-2022");
  }
  if (!filter.clause.empty() && !IsClause(filter.clause)) {
    return FieldError("clause", "must be a clause like 5.1");
  }
  if (auto status = CheckConformityValue("conformity", request.conformity()); !status.ok()) {
    return status;
  }
  filter.conformity = static_cast<Conformity>(request.conformity());
  filter.review_overdue_only = request.review_overdue_only();

  auto page_size = EffectivePageSize(request.page_size());
  if (!page_size.ok()) return page_size.status();
  query.page_size = *page_size;

  if (request.page_token().empty()) return query;  // the first page: nothing to check
  auto cursor = DecodePageToken(request.page_token(), RequirementsFingerprint(filter));
  if (!cursor.ok()) return cursor.status();
  if (*cursor && !absl::SimpleAtoi((*cursor)->sort_key, &query.after_position)) {
    return FieldError("page_token", "is not a token this server issued");
  }
  return query;
}

std::string NextRequirementsPageToken(const ListRequirementsQuery& query, int position) {
  return EncodePageToken(RequirementsFingerprint(query.filter),
                         PageCursor{absl::StrCat(position), ""});
}

absl::StatusOr<RequirementUpdate> ParseUpdateRequirement(
    const v1::UpdateRequirementRequest& request) {
  if (!request.has_requirement()) return FieldError("requirement", "is required");
  const auto& requirement = request.requirement();
  auto key = ParseRequirementName("requirement.name", requirement.name());
  if (!key.ok()) return key.status();
  auto paths = SelectedPaths(request);
  if (!paths.ok()) return paths.status();

  RequirementUpdate update{*key, {}, request.etag(), requirement.etag()};
  for (const auto& path : *paths) {
    if (path == kOwner) {
      update.changes.owner = requirement.owner();
    } else if (path == kNotes) {
      update.changes.notes = requirement.notes();
    } else if (!requirement.has_review_interval()) {
      update.changes.review_interval = kDefaultReviewInterval;  // cleared: back to the default
    } else {
      auto interval = FromProto("requirement.review_interval", requirement.review_interval());
      if (!interval.ok()) return interval.status();
      update.changes.review_interval = absl::Microseconds(absl::ToInt64Microseconds(*interval));
    }
  }
  if (auto status = ValidateChanges(update.changes); !status.ok()) return status;
  return update;
}

absl::StatusOr<RequirementReview> ParseReviewRequirement(
    const v1::ReviewRequirementRequest& request, std::string reviewer, absl::Time now) {
  auto key = ParseRequirementName("name", request.name());
  if (!key.ok()) return key.status();
  if (auto status = CheckConformityValue("conformity", request.conformity()); !status.ok()) {
    return status;
  }
  RequirementReview parsed{*key, Review{}, request.etag()};
  parsed.review.conformity = static_cast<Conformity>(request.conformity());
  parsed.review.notes = request.notes();
  parsed.review.reviewer = std::move(reviewer);
  parsed.review.review_time = absl::FromUnixMicros(absl::ToUnixMicros(now));
  parsed.time_given = request.has_review_time();
  if (parsed.time_given) {
    auto review_time = FromProto("review_time", request.review_time());
    if (!review_time.ok()) return review_time.status();
    // Stored at PostgreSQL's microsecond resolution; compare at the same resolution.
    parsed.review.review_time = absl::FromUnixMicros(absl::ToUnixMicros(*review_time));
  }
  // Everything that does not need the stored history is checked here, before any I/O.
  Requirement never_reviewed;
  if (auto status = ValidateReview(parsed.review, never_reviewed, now); !status.ok()) {
    return status;
  }
  return parsed;
}

}  // namespace compliance
