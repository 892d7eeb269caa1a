#include <gtest/gtest.h>
#include <stdlib.h>

#include <fstream>
#include <iterator>

#include "process.h"
#include "server_process.h"
#include "test_database.h"

namespace compliance::testing {
namespace {

// The shell block that follows the quick-tour marker in the README.
std::string QuickTourBlock() {
  std::ifstream in(ProjectRoot() + "/README.md");
  const std::string readme(std::istreambuf_iterator<char>(in), {});
  const auto marker = readme.find("<!-- quick-tour -->");
  const auto start = readme.find("```sh\n", marker);
  const auto end = readme.find("```\n", start + 6);
  if (marker == std::string::npos || start == std::string::npos || end == std::string::npos) {
    return "";
  }
  return readme.substr(start + 6, end - start - 6);
}

TEST(QuickTour, TheReadmeRunsVerbatimToAnAuditReadyClause) {
  const std::string block = QuickTourBlock();
  ASSERT_FALSE(block.empty()) << "no quick-tour block in README.md";
  TestDatabase db;
  ServerProcess server(db.url());
  const auto result =
      RunProcess({"bash", "-c", "set -euo pipefail; cd " + ProjectRoot() + "\n" + block},
                 {"COMPLIANCE_SERVER=" + server.address()});
  ASSERT_EQ(result.exit_code, 0) << result.out << result.err;
  EXPECT_NE(result.out.find("not audit-ready yet"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("Audit-ready: 8/8 requirements ready"), std::string::npos)
      << result.out;
  EXPECT_NE(result.out.find("created 8"), std::string::npos) << result.out;

  // The one-page report renders in a real browser; the screenshot is kept for people to see.
  const std::string screenshot = ProjectRoot() + "/build/report-screenshot.png";
  RunProcess({"rm", "-f", screenshot});
  char profile[] = "/tmp/compliance-chromium.XXXXXX";
  const auto browser =
      RunProcess({"chromium", "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                  "--no-first-run", "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--user-data-dir=" + std::string(mkdtemp(profile)),
                  "--window-size=1280,1800", "--screenshot=" + screenshot,
                  "file:///tmp/compliance-report.html"});
  RunProcess({"rm", "-rf", profile});
  EXPECT_EQ(browser.exit_code, 0) << browser.err;
  EXPECT_EQ(browser.err.find("Uncaught"), std::string::npos) << browser.err;
  std::ifstream png(screenshot, std::ios::binary | std::ios::ate);
  ASSERT_TRUE(png.good()) << "no screenshot at " << screenshot;
  EXPECT_GT(png.tellg(), 10000) << "the screenshot is suspiciously small";
}

}  // namespace
}  // namespace compliance::testing
