#pragma once

#include <string>

#include "absl/status/status.h"

namespace compliance {

/// The scope of GetReadiness and ExportAssessmentResults: a framework id and a clause, each
/// empty or well formed (fuzzed with the other request checks, tests/fuzz).
absl::Status CheckReportScope(const std::string& framework, const std::string& clause);

}  // namespace compliance
