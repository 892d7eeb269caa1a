#pragma once

#include <string>

#include "absl/time/time.h"
#include "domain/evidence.h"

namespace compliance::testing {

/// A training record of the HR system for requirement 5.1.f, keyed by `external_id`.
inline NewEvidence TrainingEvidence(const std::string& external_id,
                                    const std::string& title = "Training") {
  NewEvidence r;
  r.content.requirements = {{"iso27001-2022", "5.1.f"}};
  r.content.kind = 6;
  r.content.title = title;
  r.content.uri = "https://hr.example.com/" + external_id;
  r.content.source = "hr-system";
  r.content.external_id = external_id;
  r.content.collect_time = absl::FromUnixSeconds(1790000000);
  return r;
}

}  // namespace compliance::testing
