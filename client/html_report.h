#pragma once

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "compliance/v1/action.pb.h"
#include "compliance/v1/report.pb.h"
#include "compliance/v1/requirement.pb.h"

namespace compliance::cli {

/// Text made safe for HTML element content and quoted attribute values: `&`, `<`, `>`, `"` and
/// `'` become character references; control characters other than tab and line breaks become
/// spaces.
std::string HtmlEscape(absl::string_view text);

/// Everything the one-page report shows.
struct ReportData {
  std::string framework;  ///< the scope asked for; empty for all
  std::string clause;     ///< empty for all
  v1::GetReadinessResponse readiness;
  /// The requirements in scope (owners, notes, review dates); joined to readiness by name.
  std::vector<v1::Requirement> requirements;
  /// OPEN actions past their due time, in scope, most overdue first.
  std::vector<v1::LeadershipAction> overdue_actions;
  absl::Time generated;  ///< when the report was made; lateness is counted to it
};

/// A self-contained HTML page (inline CSS, no scripts, no external references) for auditors
/// and executives: the verdict, the status matrix, overdue actions with how late each is,
/// stale reviews, and when it was generated. All text from the server is escaped.
std::string RenderHtmlReport(const ReportData& data);

}  // namespace compliance::cli
