#include "html_report.h"

#include <map>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "action_values.h"
#include "cli_values.h"
#include "evidence_values.h"
#include "output.h"
#include "report_command.h"

namespace compliance::cli {
namespace {

// Inline only: no url(), no @import, system fonts. Prints on A4/Letter too.
constexpr char kStyle[] = R"css(
*{box-sizing:border-box}
body{margin:0 auto;max-width:1180px;padding:28px 24px 40px;color:#1f2933;background:#fff;
  font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
h1{font-size:24px;margin:0 0 4px}
h2{font-size:17px;margin:32px 0 8px;padding-bottom:4px;border-bottom:2px solid #e4e7eb}
.meta{color:#616e7c;margin:0}
.verdict{margin:20px 0 8px;padding:16px 20px;border-radius:8px;border-left:8px solid}
.verdict p{margin:0;font-size:20px;font-weight:600}
.verdict.ready{background:#e3f9e5;border-color:#31a24c;color:#0e5a1f}
.verdict.not-ready{background:#ffe3e3;border-color:#d64545;color:#7a0c0c}
.bar{margin-top:10px;height:10px;border-radius:5px;background:#fff;overflow:hidden;
  border:1px solid rgba(0,0,0,.12)}
.bar span{display:block;height:100%;background:currentColor}
.cards{display:flex;flex-wrap:wrap;gap:12px;margin:16px 0 0;padding:0;list-style:none}
.cards li{flex:1 1 150px;padding:10px 14px;border:1px solid #e4e7eb;border-radius:8px}
.cards b{display:block;font-size:22px}
.cards .alert b{color:#c62828}
table{width:100%;border-collapse:collapse;margin-top:6px}
th,td{text-align:left;vertical-align:top;padding:7px 8px;border-bottom:1px solid #e4e7eb}
th{background:#f5f7fa;font-size:12px;text-transform:uppercase;letter-spacing:.04em;color:#52606d}
td.num{text-align:right;white-space:nowrap}
.ref{color:#616e7c;font-size:12px}
.note{color:#52606d;font-size:12px;margin-top:2px;white-space:pre-wrap}
.badge{display:inline-block;padding:1px 8px;border-radius:10px;font-size:12px;white-space:nowrap}
.c-conforming{background:#e3f9e5;color:#0e5a1f}
.c-partially{background:#fff3c4;color:#7c5e10}
.c-nonconforming{background:#ffe3e3;color:#7a0c0c}
.c-not-assessed{background:#e4e7eb;color:#3e4c59}
.ok{color:#1b7f37;font-weight:600}
.gap{color:#b42318}
.late{color:#b42318;font-weight:600;white-space:nowrap}
.none{color:#616e7c;font-style:italic}
footer{margin-top:36px;color:#616e7c;font-size:12px}
@media print{body{padding:0;font-size:11px}.verdict,.badge,.bar span,th{
  -webkit-print-color-adjust:exact;print-color-adjust:exact}tr{break-inside:avoid}}
)css";

// RFC 3339 in UTC, or "-" when unset.
std::string Time(const google::protobuf::Timestamp& timestamp) {
  return FormatTimestamp(timestamp);
}

absl::Time TimeOf(const google::protobuf::Timestamp& timestamp) {
  return absl::FromUnixSeconds(timestamp.seconds()) + absl::Nanoseconds(timestamp.nanos());
}

std::string Rfc3339(absl::Time time) {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", time, absl::UTCTimeZone());
}

// Escaped text, or a muted dash when empty.
std::string TextOrDash(const std::string& text) {
  return text.empty() ? "<span class=\"none\">&#8211;</span>" : HtmlEscape(text);
}

std::string ConformityBadge(int conformity) {
  const char* css = "c-not-assessed";
  switch (conformity) {
    case v1::CONFORMITY_CONFORMING:
      css = "c-conforming";
      break;
    case v1::CONFORMITY_PARTIALLY_CONFORMING:
      css = "c-partially";
      break;
    case v1::CONFORMITY_NONCONFORMING:
      css = "c-nonconforming";
      break;
    default:
      break;
  }
  return absl::StrCat("<span class=\"badge ", css, "\">", HtmlEscape(ConformityWord(conformity)),
                      "</span>");
}

std::string Scope(const ReportData& data) {
  if (data.framework.empty() && data.clause.empty()) return "all requirements";
  std::string scope = data.framework.empty() ? "all frameworks" : data.framework;
  if (!data.clause.empty()) absl::StrAppend(&scope, ", clause ", data.clause);
  return scope;
}

void Matrix(const ReportData& data, const std::map<std::string, const v1::Requirement*>& details,
            std::string& html) {
  html +=
      "<h2>Status of the requirements</h2>\n<table class=\"matrix\">\n<thead><tr><th>Req</th>"
      "<th>Title</th><th>Owner</th><th>Conformity</th><th>Valid evidence</th>"
      "<th>Expired evidence</th><th>Open actions</th><th>Overdue actions</th>"
      "<th>Next review</th><th>Gaps</th></tr></thead>\n<tbody>\n";
  for (const auto& row : data.readiness.requirements()) {
    const auto found = details.find(row.requirement());
    const v1::Requirement* r = found == details.end() ? nullptr : found->second;
    absl::StrAppend(&html, "<tr><td><b>", HtmlEscape(ShortRequirementName(row.requirement())),
                    "</b><div class=\"ref\">", HtmlEscape(row.reference()), "</div></td><td>",
                    HtmlEscape(row.title()));
    if (r != nullptr && !r->notes().empty()) {
      absl::StrAppend(&html, "<div class=\"note\">", HtmlEscape(r->notes()), "</div>");
    }
    absl::StrAppend(&html, "</td><td>", r == nullptr ? TextOrDash("") : TextOrDash(r->owner()),
                    "</td><td>", ConformityBadge(row.conformity()), "</td><td class=\"num\">",
                    row.valid_evidence_count(), "</td><td class=\"num\">",
                    row.expired_evidence_count(), "</td><td class=\"num\">",
                    row.open_action_count(), "</td><td class=\"num\">", row.overdue_action_count(),
                    "</td><td>");
    if (r != nullptr) {
      absl::StrAppend(&html, HtmlEscape(Time(r->next_review_time())));
    } else {
      html += TextOrDash("");
    }
    if (row.review_overdue()) html += " <span class=\"late\">overdue</span>";
    html += "</td><td>";
    if (row.gaps().empty()) {
      html += "<span class=\"ok\">&#10004; ready</span>";
    } else {
      absl::StrAppend(&html, "<span class=\"gap\">&#10008; ", HtmlEscape(GapWords(row)), "</span>");
    }
    html += "</td></tr>\n";
  }
  html += "</tbody>\n</table>\n";
}

void OverdueActions(const ReportData& data, std::string& html) {
  absl::StrAppend(&html, "<h2>Overdue actions (", data.overdue_actions.size(), ")</h2>\n");
  if (data.overdue_actions.empty()) {
    html += "<p class=\"none\">No open action is past its due time.</p>\n";
    return;
  }
  html +=
      "<table class=\"actions\">\n<thead><tr><th>Req</th><th>Action</th><th>Kind</th>"
      "<th>Owner</th><th>Due</th><th>Late by</th></tr></thead>\n<tbody>\n";
  for (const auto& a : data.overdue_actions) {
    const absl::Duration late = data.generated - TimeOf(a.due_time());
    absl::StrAppend(&html, "<tr><td><b>", HtmlEscape(ShortRequirementName(a.requirement())),
                    "</b></td><td>", HtmlEscape(a.title()));
    if (!a.description().empty()) {
      absl::StrAppend(&html, "<div class=\"note\">", HtmlEscape(a.description()), "</div>");
    }
    absl::StrAppend(&html, "</td><td>", HtmlEscape(ActionKindWord(a.kind())), "</td><td>",
                    TextOrDash(a.owner()), "</td><td>", HtmlEscape(Time(a.due_time())),
                    "</td><td class=\"late\">", HtmlEscape(FormatLateness(late)), "</td></tr>\n");
  }
  html += "</tbody>\n</table>\n";
}

void StaleReviews(const ReportData& data,
                  const std::map<std::string, const v1::Requirement*>& details, std::string& html) {
  std::vector<const v1::RequirementReadiness*> stale;
  for (const auto& row : data.readiness.requirements()) {
    if (row.review_overdue()) stale.push_back(&row);
  }
  absl::StrAppend(&html, "<h2>Overdue reviews (", stale.size(), ")</h2>\n");
  if (stale.empty()) {
    html += "<p class=\"none\">No review is past due.</p>\n";
    return;
  }
  html +=
      "<table class=\"reviews\">\n<thead><tr><th>Req</th><th>Title</th><th>Owner</th>"
      "<th>Last review</th><th>Review was due</th><th>Late by</th></tr></thead>\n<tbody>\n";
  for (const auto* row : stale) {
    const auto found = details.find(row->requirement());
    const v1::Requirement* r = found == details.end() ? nullptr : found->second;
    absl::StrAppend(&html, "<tr><td><b>", HtmlEscape(ShortRequirementName(row->requirement())),
                    "</b></td><td>", HtmlEscape(row->title()), "</td>");
    if (r == nullptr) {
      absl::StrAppend(&html, "<td>", TextOrDash(""), "</td><td>", TextOrDash(""), "</td><td>",
                      TextOrDash(""), "</td><td>", TextOrDash(""), "</td></tr>\n");
      continue;
    }
    std::string last = r->has_last_review_time() ? Time(r->last_review_time()) : "never";
    if (!r->last_reviewer().empty()) absl::StrAppend(&last, " by ", r->last_reviewer());
    absl::StrAppend(
        &html, "<td>", TextOrDash(r->owner()), "</td><td>", HtmlEscape(last), "</td><td>",
        HtmlEscape(Time(r->next_review_time())), "</td><td class=\"late\">",
        HtmlEscape(FormatLateness(data.generated - TimeOf(r->next_review_time()))), "</td></tr>\n");
  }
  html += "</tbody>\n</table>\n";
}

}  // namespace

std::string HtmlEscape(absl::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      case '\t':
      case '\n':
      case '\r':
        out += c;
        break;
      default:
        out += (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) ? ' ' : c;
    }
  }
  return out;
}

std::string RenderHtmlReport(const ReportData& data) {
  std::map<std::string, const v1::Requirement*> details;
  for (const auto& r : data.requirements) details[r.name()] = &r;
  const auto& readiness = data.readiness;
  const int total = readiness.requirements_size();
  const int ready = ReadyCount(readiness);
  int overdue_reviews = 0;
  int expired_evidence = 0;
  for (const auto& row : readiness.requirements()) {
    overdue_reviews += row.review_overdue() ? 1 : 0;
    expired_evidence += row.expired_evidence_count();
  }
  const std::string generated = Rfc3339(data.generated);
  const std::string scope = Scope(data);

  std::string html;
  absl::StrAppend(&html,
                  "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                  "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                  "<title>Audit readiness: ",
                  HtmlEscape(scope), " (", generated, ")</title>\n<style>", kStyle,
                  "</style>\n</head>\n<body>\n<header>\n<h1>Audit readiness report</h1>\n"
                  "<p class=\"meta\">Scope: ",
                  HtmlEscape(scope), " &middot; generated <time datetime=\"", generated, "\">",
                  generated, "</time> (UTC)</p>\n</header>\n");

  const bool audit_ready = readiness.audit_ready();
  absl::StrAppend(&html, "<section class=\"verdict ", audit_ready ? "ready" : "not-ready",
                  "\">\n<p>", audit_ready ? "&#10004; " : "&#10008; ",
                  HtmlEscape(VerdictLine(readiness)), "</p>\n",
                  absl::StrFormat("<div class=\"bar\" title=\"score %.2f\"><span "
                                  "style=\"width:%.0f%%\"></span></div>\n",
                                  readiness.score(), readiness.score() * 100),
                  "</section>\n");

  const auto card = [&](int value, const char* label, bool alert) {
    absl::StrAppend(&html, "<li", alert && value > 0 ? " class=\"alert\"" : "", "><b>", value,
                    "</b>", label, "</li>\n");
  };
  html += "<ul class=\"cards\">\n";
  absl::StrAppend(&html, "<li", ready < total ? " class=\"alert\"" : "", "><b>", ready, " / ",
                  total, "</b>requirements ready</li>\n");
  card(static_cast<int>(data.overdue_actions.size()), "overdue actions", true);
  card(overdue_reviews, "overdue reviews", true);
  card(expired_evidence, "expired evidence records", true);
  html += "</ul>\n";

  Matrix(data, details, html);
  OverdueActions(data, html);
  StaleReviews(data, details, html);

  absl::StrAppend(&html, "<footer>Generated by compliancectl on ", generated,
                  " (UTC); readiness evaluated by the server at ",
                  HtmlEscape(Time(readiness.evaluate_time())),
                  ". A requirement is ready when it is assessed as conforming, has valid "
                  "evidence and an owner, and has no overdue action or review.</footer>\n"
                  "</body>\n</html>\n");
  return html;
}

}  // namespace compliance::cli
