#include "domain/oscal.h"

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/civil_time.h"
#include "domain/sha256.h"

namespace compliance {
namespace {

using nlohmann::json;

std::string Timestamp(absl::Time time) {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%E6SZ", time, absl::UTCTimeZone());
}

// OSCAL 1.0.6 date-times are years 1900–2999; we accept any year a Timestamp holds.
bool InOscalRange(absl::Time time) {
  const int64_t year = absl::ToCivilYear(time, absl::UTCTimeZone()).year();
  return year >= 1900 && year <= 2999;
}

absl::Time ClampToOscalRange(absl::Time time) {
  static const absl::Time kFirst =
      absl::FromCivil(absl::CivilSecond(1900, 1, 1), absl::UTCTimeZone());
  static const absl::Time kLast =
      absl::FromCivil(absl::CivilSecond(2999, 12, 31, 23, 59, 59), absl::UTCTimeZone());
  return std::clamp(time, kFirst, kLast);
}

// Prop values are tokens of text without surrounding or line-breaking white space.
bool IsPropValue(const std::string& value) {
  return !value.empty() && !absl::ascii_isspace(value.front()) &&
         !absl::ascii_isspace(value.back()) && value.find_first_of("\r\n\t") == std::string::npos;
}

// OSCAL ids are tokens, which may not start with a digit: "iso27001-2022_5.1.a".
std::string ControlId(const RequirementKey& key) {
  return absl::StrCat(key.framework, "_", key.id);
}

const char* GapWords(ReadinessGap gap) {
  switch (gap) {
    case ReadinessGap::kNotAssessed:
      return "not assessed";
    case ReadinessGap::kNonconforming:
      return "found nonconforming";
    case ReadinessGap::kPartiallyConforming:
      return "found partially conforming";
    case ReadinessGap::kNoValidEvidence:
      return "no valid evidence";
    case ReadinessGap::kActionOverdue:
      return "a leadership action is overdue";
    case ReadinessGap::kReviewOverdue:
      return "the review is overdue";
    case ReadinessGap::kNoOwner:
      return "no owner";
  }
  return "unknown gap";
}

json Observation(const Evidence& e) {
  json evidence = {{"href", e.content.uri}, {"description", e.content.title}};
  json props = json::array({{{"name", "evidence-name"}, {"value", EvidenceName(e.id)}},
                            {{"name", "source"}, {"value", e.content.source}}});
  if (!e.content.sha256.empty()) props.push_back({{"name", "sha256"}, {"value", e.content.sha256}});
  if (IsPropValue(e.content.external_id)) {
    props.push_back({{"name", "external-id"}, {"value", e.content.external_id}});
  }
  evidence["props"] = props;
  json observation = {
      {"uuid", StableUuid("observation/" + e.id)},
      {"title", e.content.title},
      {"description", e.content.description.empty() ? e.content.title : e.content.description},
      {"methods", json::array({"EXAMINE"})},
      {"collected", Timestamp(ClampToOscalRange(e.content.collect_time))},
      {"relevant-evidence", json::array({evidence})}};
  // A far-future expiry ("never") is simply left out.
  if (e.content.expire_time && InOscalRange(*e.content.expire_time)) {
    observation["expires"] = Timestamp(*e.content.expire_time);
  }
  return observation;
}

json Risk(const Action& a) {
  return {{"uuid", StableUuid("risk/" + a.id)},
          {"title", a.fields.title},
          {"description", a.fields.description.empty() ? a.fields.title : a.fields.description},
          {"statement",
           absl::StrCat("Leadership action ", ActionName(a.id), " for requirement ",
                        a.fields.requirement.Name(), ", owned by ", a.fields.owner, ", was due ",
                        Timestamp(a.fields.due_time), " and is not completed.")},
          {"status", "open"},
          {"deadline", Timestamp(ClampToOscalRange(a.fields.due_time))}};
}

// The finding on one requirement: ready or not, why not, and the observations (evidence)
// and risks (overdue actions) behind it.
json Finding(const RequirementStatus& status, absl::Time now,
             const std::vector<std::string>& observation_uuids,
             const std::vector<std::string>& risk_uuids) {
  const Requirement& r = status.requirement;
  const auto gaps = ReadinessGaps(status, now);
  std::vector<std::string> words;
  for (const auto gap : gaps) words.push_back(GapWords(gap));
  json finding = {
      {"uuid", StableUuid("finding/" + r.key.Name())},
      {"title", absl::StrCat(r.reference, " ", r.title)},
      {"description", gaps.empty() ? std::string("Ready for audit.")
                                   : absl::StrCat("Not ready: ", absl::StrJoin(words, "; "), ".")},
      {"target",
       {{"type", "objective-id"},
        {"target-id", ControlId(r.key)},
        {"status", {{"state", gaps.empty() ? "satisfied" : "not-satisfied"}}}}}};
  json related_observations = json::array();
  for (const auto& uuid : observation_uuids) {
    related_observations.push_back({{"observation-uuid", uuid}});
  }
  if (!related_observations.empty()) finding["related-observations"] = related_observations;
  json related_risks = json::array();
  for (const auto& uuid : risk_uuids) related_risks.push_back({{"risk-uuid", uuid}});
  if (!related_risks.empty()) finding["related-risks"] = related_risks;
  return finding;
}

}  // namespace

std::string StableUuid(const std::string& key) {
  std::string hex = Sha256Hex("compliance-status/oscal/" + key).substr(0, 32);
  hex[12] = '5';                                                    // version 5 (name-based)
  hex[16] = "89ab"[std::stoi(hex.substr(16, 1), nullptr, 16) & 3];  // RFC 4122 variant
  return absl::StrCat(hex.substr(0, 8), "-", hex.substr(8, 4), "-", hex.substr(12, 4), "-",
                      hex.substr(16, 4), "-", hex.substr(20, 12));
}

std::string AssessmentResultsJson(const AssessmentState& state, absl::Time now) {
  const std::string scope = absl::StrCat(state.framework.empty() ? "all" : state.framework, "/",
                                         state.clause.empty() ? "all" : state.clause);
  std::map<std::string, std::vector<std::string>> observations_of;  // requirement name → uuids
  json observations = json::array();
  for (const auto& e : state.evidence) {
    observations.push_back(Observation(e));
    for (const auto& key : e.content.requirements) {
      observations_of[key.Name()].push_back(StableUuid("observation/" + e.id));
    }
  }
  std::map<std::string, std::vector<std::string>> risks_of;
  json risks = json::array();
  for (const auto& a : state.overdue_actions) {
    risks.push_back(Risk(a));
    risks_of[a.fields.requirement.Name()].push_back(StableUuid("risk/" + a.id));
  }

  json controls = json::array();
  json findings = json::array();
  for (const auto& status : state.requirements) {
    const std::string name = status.requirement.key.Name();
    controls.push_back({{"control-id", ControlId(status.requirement.key)}});
    findings.push_back(Finding(status, now, observations_of[name], risks_of[name]));
  }

  json result = {
      {"uuid", StableUuid("result/" + scope)},
      {"title", "Leadership and commitment: current state"},
      {"description",
       "Conformity, evidence, reviews and leadership actions as recorded in compliance-status."},
      {"start", Timestamp(now)},
      {"reviewed-controls",
       {{"control-selections", json::array({{{"include-controls", controls}}})}}},
      {"findings", findings}};
  if (!observations.empty()) result["observations"] = observations;
  if (!risks.empty()) result["risks"] = risks;

  json document = {
      {"assessment-results",
       {{"uuid", StableUuid("assessment-results/" + scope)},
        {"metadata",
         {{"title", absl::StrCat("Assessment results: ", scope)},
          {"last-modified", Timestamp(now)},
          {"version", "1"},
          {"oscal-version", "1.0.6"}}},
        {"import-ap",
         {{"href", absl::StrCat("urn:compliance-status:assessment-plan:", scope)},
          {"remarks", "compliance-status assesses continuously; there is no separate plan."}}},
        {"results", json::array({result})}}}};
  return document.dump(2);
}

}  // namespace compliance
