#include "report_command.h"

#include <gtest/gtest.h>

#include <sstream>

#include "api/proto_time.h"
#include "html_report.h"

namespace compliance::cli {
namespace {

const absl::Time kNow = absl::FromUnixSeconds(1'800'000'000);  // 2027-01-15T08:00:00Z

bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

size_t Count(const std::string& text, const std::string& part) {
  size_t n = 0;
  for (size_t at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) ++n;
  return n;
}

v1::RequirementReadiness Row(const std::string& letter, std::vector<v1::ReadinessGap> gaps) {
  v1::RequirementReadiness row;
  row.set_requirement("frameworks/iso27001-2022/requirements/5.1." + letter);
  row.set_reference("5.1(" + letter + ")");
  row.set_title("Requirement " + letter);
  row.set_conformity(gaps.empty() ? v1::CONFORMITY_CONFORMING : v1::CONFORMITY_NOT_ASSESSED);
  row.set_valid_evidence_count(gaps.empty() ? 1 : 0);
  for (const auto gap : gaps) row.add_gaps(gap);
  return row;
}

// `ready` of `total` rows ready; the others not assessed, without evidence and owner.
v1::GetReadinessResponse Readiness(int ready, int total) {
  v1::GetReadinessResponse response;
  for (int i = 0; i < total; ++i) {
    const std::string letter(1, static_cast<char>('a' + i));
    *response.add_requirements() =
        i < ready ? Row(letter, {})
                  : Row(letter, {v1::READINESS_GAP_NOT_ASSESSED,
                                 v1::READINESS_GAP_NO_VALID_EVIDENCE, v1::READINESS_GAP_NO_OWNER});
  }
  response.set_audit_ready(total > 0 && ready == total);
  response.set_score(total > 0 ? static_cast<double>(ready) / total : 0);
  ToProto(kNow, response.mutable_evaluate_time());
  return response;
}

TEST(ReportGaps, AreSpelledOutInWordsOrReady) {
  EXPECT_EQ(GapWord(v1::READINESS_GAP_NOT_ASSESSED), "not assessed");
  EXPECT_EQ(GapWord(v1::READINESS_GAP_NONCONFORMING), "nonconforming");
  EXPECT_EQ(GapWord(v1::READINESS_GAP_PARTIALLY_CONFORMING), "partially conforming");
  EXPECT_EQ(GapWord(v1::READINESS_GAP_NO_VALID_EVIDENCE), "no valid evidence");
  EXPECT_EQ(GapWord(v1::READINESS_GAP_ACTION_OVERDUE), "action overdue");
  EXPECT_EQ(GapWord(v1::READINESS_GAP_REVIEW_OVERDUE), "review overdue");
  EXPECT_EQ(GapWord(v1::READINESS_GAP_NO_OWNER), "no owner");
  EXPECT_EQ(GapWord(42), "gap 42");

  EXPECT_EQ(GapWords(Row("a", {})), "ready");
  EXPECT_EQ(GapWords(Row("a", {v1::READINESS_GAP_NOT_ASSESSED, v1::READINESS_GAP_NO_VALID_EVIDENCE,
                               v1::READINESS_GAP_NO_OWNER})),
            "not assessed, no valid evidence, no owner");
  EXPECT_EQ(GapWords(Row("a", {v1::READINESS_GAP_ACTION_OVERDUE})), "action overdue");
}

TEST(ReportCells, EvidenceAndActionsMentionExpiredAndOverdueOnlyWhenAny) {
  v1::RequirementReadiness row;
  row.set_valid_evidence_count(2);
  row.set_open_action_count(3);
  EXPECT_EQ(EvidenceCell(row), "2");
  EXPECT_EQ(ActionsCell(row), "3 open");
  row.set_expired_evidence_count(1);
  row.set_overdue_action_count(2);
  EXPECT_EQ(EvidenceCell(row), "2, 1 expired");
  EXPECT_EQ(ActionsCell(row), "3 open, 2 overdue");
}

TEST(ReportVerdict, CountsReadyRequirementsAndShowsTheScoreWhenNotReady) {
  EXPECT_EQ(VerdictLine(Readiness(8, 8)), "Audit-ready: 8/8 requirements ready");
  EXPECT_EQ(VerdictLine(Readiness(5, 8)), "Not audit-ready: 5/8 requirements ready (score 0.62)");
  EXPECT_EQ(VerdictLine(Readiness(0, 8)), "Not audit-ready: 0/8 requirements ready (score 0.00)");
  EXPECT_EQ(VerdictLine(Readiness(7, 8)), "Not audit-ready: 7/8 requirements ready (score 0.88)");
  EXPECT_EQ(VerdictLine(Readiness(0, 0)), "Not audit-ready: no requirements in scope");
  EXPECT_EQ(ReadyCount(Readiness(5, 8)), 5);
}

TEST(ReportTable, MarksAndColoursOnlyOnATerminal) {
  const auto readiness = Readiness(1, 2);
  std::ostringstream plain;
  PrintReadiness(readiness, /*terminal=*/false, /*color=*/false, plain);
  const std::string text = plain.str();
  EXPECT_EQ(text.substr(0, text.find('\n')).find("REQ"), 0u) << text;
  for (const char* column : {"TITLE", "CONFORMITY", "EVIDENCE", "ACTIONS", "GAPS"}) {
    EXPECT_TRUE(Contains(text.substr(0, text.find('\n')), column)) << column;
  }
  EXPECT_TRUE(Contains(text, "5.1.a")) << text;
  EXPECT_TRUE(Contains(text, "not assessed, no valid evidence, no owner")) << text;
  EXPECT_FALSE(Contains(text, "\033")) << text;
  EXPECT_FALSE(Contains(text, "✔")) << text;
  EXPECT_FALSE(Contains(text, "✘")) << text;
  EXPECT_TRUE(Contains(text, "\nNot audit-ready: 1/2 requirements ready (score 0.50)\n")) << text;

  std::ostringstream marked;
  PrintReadiness(readiness, /*terminal=*/true, /*color=*/false, marked);
  EXPECT_TRUE(Contains(marked.str(), "✔ ready")) << marked.str();
  EXPECT_TRUE(Contains(marked.str(), "✘ not assessed")) << marked.str();
  EXPECT_FALSE(Contains(marked.str(), "\033")) << marked.str();

  std::ostringstream coloured;
  PrintReadiness(readiness, /*terminal=*/true, /*color=*/true, coloured);
  EXPECT_TRUE(Contains(coloured.str(), "\033[32m✔ ready\033[0m")) << coloured.str();
  EXPECT_TRUE(Contains(coloured.str(), "\033[31m✘ not assessed")) << coloured.str();
}

TEST(HtmlEscape, EscapesMarkupQuotesAndAmpersands) {
  EXPECT_EQ(HtmlEscape("<script>alert(1)</script>"), "&lt;script&gt;alert(1)&lt;/script&gt;");
  EXPECT_EQ(HtmlEscape("R&D \"board\" o'brien"), "R&amp;D &quot;board&quot; o&#39;brien");
  EXPECT_EQ(HtmlEscape("&amp;"), "&amp;amp;");
  EXPECT_EQ(HtmlEscape("line\nbreak\ttab"), "line\nbreak\ttab");
  EXPECT_EQ(HtmlEscape(std::string("nul\0bell\a", 9)), "nul bell ");
  EXPECT_EQ(HtmlEscape("Zoë ✔ 監査"), "Zoë ✔ 監査");
  EXPECT_EQ(HtmlEscape(""), "");
}

ReportData Data() {
  ReportData data;
  data.framework = "iso27001-2022";
  data.clause = "5.1";
  data.generated = kNow;
  data.readiness = Readiness(1, 8);
  auto* late_row = data.readiness.mutable_requirements(4);  // 5.1.e
  late_row->set_open_action_count(1);
  late_row->set_overdue_action_count(1);
  late_row->add_gaps(v1::READINESS_GAP_ACTION_OVERDUE);
  auto* stale_row = data.readiness.mutable_requirements(1);  // 5.1.b
  stale_row->set_review_overdue(true);
  stale_row->set_expired_evidence_count(2);
  for (const auto& row : data.readiness.requirements()) {
    v1::Requirement r;
    r.set_name(row.requirement());
    r.set_owner("ciso@example.com");
    data.requirements.push_back(r);
  }
  data.requirements[0].set_owner("\"Eve\" <eve@example.com>");
  data.requirements[0].set_notes("<img src=x onerror=alert(1)> & more");
  data.requirements[1].set_last_reviewer("o'brien");
  ToProto(kNow - absl::Hours(24 * 400), data.requirements[1].mutable_last_review_time());
  ToProto(kNow - absl::Hours(24 * 35), data.requirements[1].mutable_next_review_time());

  v1::LeadershipAction action;
  action.set_name("actions/3f1c9a7e-5b2d-4e8a-9c61-0d7e2b4a8f13");
  action.set_requirement("frameworks/iso27001-2022/requirements/5.1.e");
  action.set_kind(v1::ACTION_KIND_MANAGEMENT_REVIEW);
  action.set_title("<script>alert(1)</script> Q3 review & \"sign-off\"");
  action.set_owner("ceo@example.com");
  action.set_state(v1::ACTION_STATE_OPEN);
  action.set_overdue(true);
  ToProto(kNow - absl::Hours(24 * 3) - absl::Hours(5), action.mutable_due_time());
  data.overdue_actions.push_back(action);
  return data;
}

TEST(HtmlReport, ShowsVerdictMatrixOverdueActionsStaleReviewsAndWhenGenerated) {
  const std::string html = RenderHtmlReport(Data());
  EXPECT_EQ(html.rfind("<!DOCTYPE html>", 0), 0u);
  EXPECT_TRUE(Contains(html, "<meta charset=\"utf-8\">"));
  EXPECT_TRUE(Contains(html, "</html>\n"));
  EXPECT_TRUE(Contains(html, "Not audit-ready: 1/8 requirements ready (score 0.12)")) << html;
  for (char letter = 'a'; letter <= 'h'; ++letter) {
    EXPECT_TRUE(Contains(html, std::string("<b>5.1.") + letter + "</b>")) << letter;
    EXPECT_TRUE(Contains(html, std::string("5.1(") + letter + ")")) << letter;
  }
  EXPECT_TRUE(Contains(html, "not assessed, no valid evidence, no owner, action overdue"));
  EXPECT_TRUE(Contains(html, "&#10004; ready"));
  EXPECT_TRUE(Contains(html, "conforming</span>"));
  EXPECT_TRUE(Contains(html, "iso27001-2022, clause 5.1"));
  EXPECT_TRUE(Contains(html, "2027-01-15T08:00:00Z"));  // generated

  // Overdue actions with how late; stale reviews with their reviewer and lateness.
  EXPECT_TRUE(Contains(html, "Overdue actions (1)"));
  EXPECT_TRUE(Contains(html, "management-review"));
  EXPECT_TRUE(Contains(html, "<td class=\"late\">3d</td>")) << html;
  EXPECT_TRUE(Contains(html, "Overdue reviews (1)"));
  EXPECT_TRUE(Contains(html, "by o&#39;brien"));
  EXPECT_TRUE(Contains(html, "<td class=\"late\">35d</td>")) << html;
}

TEST(HtmlReport, EscapesAllUserText) {
  const std::string html = RenderHtmlReport(Data());
  EXPECT_FALSE(Contains(html, "<script")) << html;
  EXPECT_FALSE(Contains(html, "<img")) << html;
  EXPECT_FALSE(Contains(html, "<eve@")) << html;
  EXPECT_TRUE(Contains(html,
                       "&lt;script&gt;alert(1)&lt;/script&gt; Q3 review &amp; "
                       "&quot;sign-off&quot;"));
  EXPECT_TRUE(Contains(html, "&lt;img src=x onerror=alert(1)&gt; &amp; more"));
  EXPECT_TRUE(Contains(html, "&quot;Eve&quot; &lt;eve@example.com&gt;"));
}

TEST(HtmlReport, IsSelfContained) {
  ReportData data = Data();
  data.requirements[0].clear_notes();  // user text (escaped) may say "src=" too
  const std::string html = RenderHtmlReport(data);
  for (const char* reference : {"http://", "https://", "<link", "<script", "src=", "href=", "url(",
                                "@import", "<img", "<iframe", "<object", "<embed"}) {
    EXPECT_FALSE(Contains(html, reference)) << reference;
  }
  EXPECT_EQ(Count(html, "<style>"), 1u);
}

TEST(HtmlReport, SaysWhenNothingIsOverdueAndTheVerdictWhenReady) {
  ReportData data;
  data.generated = kNow;
  data.readiness = Readiness(8, 8);
  const std::string html = RenderHtmlReport(data);
  EXPECT_TRUE(Contains(html, "Audit-ready: 8/8 requirements ready"));
  EXPECT_TRUE(Contains(html, "class=\"verdict ready\""));
  EXPECT_TRUE(Contains(html, "Overdue actions (0)"));
  EXPECT_TRUE(Contains(html, "No open action is past its due time."));
  EXPECT_TRUE(Contains(html, "Overdue reviews (0)"));
  EXPECT_TRUE(Contains(html, "Scope: all requirements"));
}

}  // namespace
}  // namespace compliance::cli
