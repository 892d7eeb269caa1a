#pragma once

#include <string>
#include <vector>

#include "absl/time/time.h"
#include "domain/action.h"
#include "domain/evidence.h"
#include "domain/readiness.h"

namespace compliance {

/// Everything one OSCAL export describes.
struct AssessmentState {
  std::string framework;  ///< filter used, "" for all
  std::string clause;     ///< filter used, "" for all
  std::vector<RequirementStatus> requirements;
  std::vector<Evidence> evidence;       ///< ACTIVE records linked to those requirements
  std::vector<Action> overdue_actions;  ///< OPEN and past due
};

/// The media type of the export.
inline constexpr char kOscalMediaType[] = "application/oscal+json";

/// An OSCAL 1.0.6 assessment-results JSON document of `state` at `now`: one finding per
/// requirement (satisfied only when it has no readiness gap), evidence as observations with
/// relevant-evidence, overdue actions as risks with deadlines. UUIDs are derived from the
/// objects they describe, so re-exports update rather than duplicate in a GRC tool; two
/// exports of one state differ only in their timestamps.
std::string AssessmentResultsJson(const AssessmentState& state, absl::Time now);

/// A version-5-shaped UUID derived from `key` (stable across exports and processes).
std::string StableUuid(const std::string& key);

}  // namespace compliance
