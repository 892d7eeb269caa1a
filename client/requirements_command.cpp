#include "requirements_command.h"

#include <iostream>
#include <memory>

#include "absl/strings/str_cat.h"
#include "api/proto_time.h"
#include "cli_values.h"
#include "compliance/v1/requirement.grpc.pb.h"
#include "output.h"
#include "paging.h"
#include "unary_call.h"

namespace compliance::cli {
namespace {

using v1::RequirementService;

// Flag values of the requirement subcommands.
struct RequirementArgs {
  std::string name;
  std::string framework;
  std::string clause;
  std::string conformity;
  bool overdue = false;
  std::string owner;
  std::string review_interval;
  std::string notes;
  std::string review_time;
  std::string etag;
};

std::string Counts(const v1::Requirement& r) {
  return absl::StrCat(
      r.open_action_count(), " open",
      r.overdue_action_count() > 0 ? absl::StrCat(", ", r.overdue_action_count(), " overdue") : "");
}

std::string NextReview(const v1::Requirement& r) {
  return FormatTimestamp(r.next_review_time()) + (r.review_overdue() ? " (overdue)" : "");
}

void PrintRequirement(const v1::Requirement& r) {
  Table table({"field", "value"});
  table.AddRow({"name", r.name()});
  table.AddRow({"reference", r.reference()});
  table.AddRow({"title", r.title()});
  table.AddRow({"conformity", ConformityWord(r.conformity())});
  table.AddRow({"owner", r.owner().empty() ? "-" : r.owner()});
  table.AddRow(
      {"review interval", FormatHumanDuration(absl::Seconds(r.review_interval().seconds()))});
  table.AddRow({"last review", FormatTimestamp(r.last_review_time()) +
                                   (r.last_reviewer().empty() ? "" : " by " + r.last_reviewer())});
  table.AddRow({"next review", NextReview(r)});
  table.AddRow({"valid evidence", absl::StrCat(r.valid_evidence_count())});
  table.AddRow({"actions", Counts(r)});
  table.AddRow({"notes", r.notes().empty() ? "-" : r.notes()});
  table.AddRow({"etag", r.etag()});
  table.Print(std::cout);
  std::cout << "\n" << r.description() << "\n";
  if (!r.evidence_guidance().empty()) {
    std::cout << "\nEvidence auditors ask for:\n";
    for (const auto& guidance : r.evidence_guidance()) std::cout << "  - " << guidance << "\n";
  }
}

// The `requirements list` table.
void PrintRequirementTable(const v1::ListRequirementsResponse& listed) {
  Table table(
      {"REQUIREMENT", "TITLE", "CONFORMITY", "OWNER", "NEXT REVIEW", "EVIDENCE", "ACTIONS"});
  for (const auto& r : listed.requirements()) {
    const std::string short_name = r.name().substr(r.name().rfind('/') + 1);
    table.AddRow({short_name, r.title(), ConformityWord(r.conformity()),
                  r.owner().empty() ? "-" : r.owner(), NextReview(r),
                  absl::StrCat(r.valid_evidence_count()), Counts(r)});
  }
  table.Print(std::cout);
}

// Prints the requirement an answer holds, as a table.
template <typename Response>
void PrintRequirementOf(const Response& response) {
  PrintRequirement(response.requirement());
}

int List(const ClientOptions& options, const RequirementArgs& args) {
  auto stub = RequirementService::NewStub(options.Channel());
  v1::ListRequirementsRequest request;
  request.set_framework(args.framework);
  request.set_clause(args.clause);
  if (!args.conformity.empty()) {
    auto conformity = ParseConformity(args.conformity);
    if (!conformity.ok())
      throw CLI::ValidationError("--conformity", conformity.status().ToString());
    request.set_conformity(static_cast<v1::Conformity>(*conformity));
  }
  request.set_review_overdue_only(args.overdue);
  return CollectAndPrint(
      options, *stub, &RequirementService::Stub::ListRequirements, request,
      /*limit=*/0, [](auto& response) { return response.mutable_requirements(); },
      [](const v1::ListRequirementsResponse& all, bool /*more*/) { PrintRequirementTable(all); });
}

int Get(const ClientOptions& options, const RequirementArgs& args) {
  v1::GetRequirementRequest request;
  request.set_name(ExpandRequirementName(args.name));
  return CallAndPrint(options, &RequirementService::Stub::GetRequirement, request,
                      PrintRequirementOf<v1::GetRequirementResponse>);
}

int Update(const ClientOptions& options, const RequirementArgs& args, const CLI::App& command) {
  v1::UpdateRequirementRequest request;
  auto* requirement = request.mutable_requirement();
  requirement->set_name(ExpandRequirementName(args.name));
  if (command.count("--owner") > 0) {
    requirement->set_owner(args.owner);
    request.mutable_update_mask()->add_paths("owner");
  }
  if (command.count("--review-interval") > 0) {
    auto interval = ParseHumanDuration(args.review_interval);
    if (!interval.ok()) {
      throw CLI::ValidationError("--review-interval", std::string(interval.status().message()));
    }
    ToProto(*interval, requirement->mutable_review_interval());
    request.mutable_update_mask()->add_paths("review_interval");
  }
  if (command.count("--notes") > 0) {
    requirement->set_notes(args.notes);
    request.mutable_update_mask()->add_paths("notes");
  }
  if (request.update_mask().paths().empty()) {
    throw CLI::ValidationError("update",
                               "give at least one of --owner, --review-interval, --notes");
  }
  request.set_etag(args.etag);
  return CallAndPrint(options, &RequirementService::Stub::UpdateRequirement, request,
                      PrintRequirementOf<v1::UpdateRequirementResponse>);
}

int Review(const ClientOptions& options, const RequirementArgs& args) {
  v1::ReviewRequirementRequest request;
  request.set_name(ExpandRequirementName(args.name));
  auto conformity = ParseConformity(args.conformity);
  if (!conformity.ok()) {
    throw CLI::ValidationError("--conformity", std::string(conformity.status().message()));
  }
  request.set_conformity(static_cast<v1::Conformity>(*conformity));
  request.set_notes(args.notes);
  if (!args.review_time.empty()) {
    auto time = ParseTime(args.review_time);
    if (!time.ok()) throw CLI::ValidationError("--time", std::string(time.status().message()));
    ToProto(*time, request.mutable_review_time());
  }
  request.set_etag(args.etag);
  return CallAndPrint(options, &RequirementService::Stub::ReviewRequirement, request,
                      PrintRequirementOf<v1::ReviewRequirementResponse>);
}

}  // namespace

void AddRequirementsCommands(CLI::App& app, const ClientOptions& options, int& exit_code) {
  auto args = std::make_shared<RequirementArgs>();
  auto* group = app.add_subcommand("requirements", "look at and review clause 5.1 requirements");
  group->alias("req");
  group->require_subcommand(1);

  auto* list = group->add_subcommand("list", "list requirements in catalog order");
  list->footer("Example: compliancectl requirements list --overdue\n");
  list->add_option("--framework", args->framework, "framework id, e.g. iso27001-2022");
  list->add_option("--clause", args->clause, "clause, e.g. 5.1");
  list->add_option("--conformity", args->conformity, "only this conformity");
  list->add_flag("--overdue", args->overdue, "only requirements whose review is overdue");
  list->callback([&, args] { exit_code = List(options, *args); });

  auto* get = group->add_subcommand("get", "show one requirement");
  get->footer("Example: compliancectl requirements get 5.1.a\n");
  get->add_option("name", args->name, "requirement, e.g. 5.1.a or its full name")->required();
  get->callback([&, args] { exit_code = Get(options, *args); });

  auto* update = group->add_subcommand("update", "change owner, review interval or notes");
  update->footer(
      "Example: compliancectl requirements update 5.1.a --owner ciso@example.com "
      "--review-interval 180d\n");
  update->add_option("name", args->name, "requirement, e.g. 5.1.a")->required();
  update->add_option("--owner", args->owner, "accountable person or team; \"\" clears it");
  update->add_option("--review-interval", args->review_interval, "e.g. 90d, 26w (1d to 1095d)");
  update->add_option("--notes", args->notes, "free text");
  update->add_option("--etag", args->etag, "only if the requirement still has this etag");
  update->callback([&, args, update] { exit_code = Update(options, *args, *update); });

  auto* review = group->add_subcommand("review", "record a leadership review");
  review->footer(
      "Example: compliancectl requirements review 5.1.a --conformity conforming "
      "--notes \"policy signed 2026-11-02\"\n");
  review->add_option("name", args->name, "requirement, e.g. 5.1.a")->required();
  review
      ->add_option("--conformity", args->conformity,
                   "conforming, partially-conforming, nonconforming, not-assessed")
      ->required();
  review->add_option("--notes", args->notes, "what the review found");
  review->add_option("--time", args->review_time, "when it happened (RFC 3339); default now");
  review->add_option("--etag", args->etag, "only if the requirement still has this etag");
  review->callback([&, args] { exit_code = Review(options, *args); });
}

}  // namespace compliance::cli
