#include "api/report_requests.h"

#include "domain/errors.h"
#include "domain/names.h"

namespace compliance {

absl::Status CheckReportScope(const std::string& framework, const std::string& clause) {
  if (!framework.empty() && !IsFrameworkId(framework)) {
    return FieldError("framework", "must be a framework id like iso27001-2022");
  }
  if (!clause.empty() && !IsClause(clause))
    return FieldError("clause", "must be a clause like 5.1");
  return absl::OkStatus();
}

}  // namespace compliance
