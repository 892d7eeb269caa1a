#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "process.h"
#include "server_process.h"
#include "test_database.h"

namespace compliance::testing {
namespace {

class CliTest : public ::testing::Test {
 protected:
  ProcessResult Cli(std::vector<std::string> args) {
    args.insert(args.begin(), CliBinary());
    return RunProcess(args, {"COMPLIANCE_SERVER=" + server_.address()});
  }

  TestDatabase db_;
  ServerProcess server_{db_.url()};
};

TEST_F(CliTest, ListsEveryRequirementAsATable) {
  const auto result = Cli({"requirements", "list"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  for (const char* id : {"5.1.a", "5.1.b", "5.1.c", "5.1.d", "5.1.e", "5.1.f", "5.1.g", "5.1.h"}) {
    EXPECT_NE(result.out.find(id), std::string::npos) << id;
  }
  EXPECT_NE(result.out.find("not assessed"), std::string::npos);
}

TEST_F(CliTest, UpdateAndReviewWithShortNamesThenReadAsJson) {
  auto update = Cli({"requirements", "update", "5.1.c", "--owner", "cfo@example.com",
                     "--review-interval", "180d", "--notes", "budget approved"});
  ASSERT_EQ(update.exit_code, 0) << update.err;
  EXPECT_NE(update.out.find("cfo@example.com"), std::string::npos);
  EXPECT_NE(update.out.find("180d"), std::string::npos);

  auto review = Cli({"requirements", "review", "5.1.c", "--conformity", "conforming", "--notes",
                     "FY27 budget signed"});
  ASSERT_EQ(review.exit_code, 0) << review.err;

  auto get = Cli({"--output", "json", "requirements", "get", "5.1.c"});
  ASSERT_EQ(get.exit_code, 0) << get.err;
  const auto json = nlohmann::json::parse(get.out);
  const auto& r = json.at("requirement");
  EXPECT_EQ(r.at("name"), "frameworks/iso27001-2022/requirements/5.1.c");
  EXPECT_EQ(r.at("owner"), "cfo@example.com");
  EXPECT_EQ(r.at("conformity"), "CONFORMITY_CONFORMING");
  EXPECT_EQ(r.at("reviewInterval"), "15552000s");
  EXPECT_EQ(r.at("notes"), "FY27 budget signed");
  EXPECT_TRUE(r.contains("lastReviewTime"));

  auto list = Cli({"-o", "json", "requirements", "list", "--conformity", "conforming"});
  ASSERT_EQ(list.exit_code, 0) << list.err;
  EXPECT_EQ(nlohmann::json::parse(list.out).at("requirements").size(), 1u);
}

TEST_F(CliTest, ExitCodesTellServerErrorsFromUsageErrors) {
  auto not_found = Cli({"requirements", "get", "5.1.z"});
  EXPECT_EQ(not_found.exit_code, 1);
  EXPECT_NE(not_found.err.find("NOT_FOUND"), std::string::npos) << not_found.err;

  auto stale = Cli({"requirements", "update", "5.1.a", "--owner", "x", "--etag", "r999"});
  EXPECT_EQ(stale.exit_code, 1);
  EXPECT_NE(stale.err.find("ABORTED"), std::string::npos) << stale.err;

  EXPECT_EQ(Cli({"requirements", "review", "5.1.a"}).exit_code, 2);  // --conformity missing
  EXPECT_EQ(Cli({"requirements", "review", "5.1.a", "--conformity", "great"}).exit_code, 2);
  EXPECT_EQ(Cli({"requirements", "update", "5.1.a", "--review-interval", "soon"}).exit_code, 2);
  EXPECT_EQ(Cli({"requirements", "frobnicate"}).exit_code, 2);
  EXPECT_EQ(Cli({"--output", "xml", "requirements", "list"}).exit_code, 2);
  EXPECT_EQ(Cli({"requirements", "list", "--help"}).exit_code, 0);
}

TEST_F(CliTest, UnreachableServerSaysWhatToDo) {
  const auto result = RunProcess(
      {CliBinary(), "--server", "127.0.0.1:1", "--timeout", "2s", "requirements", "list"});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.err.find("UNAVAILABLE"), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("COMPLIANCE_SERVER"), std::string::npos) << result.err;
}

}  // namespace
}  // namespace compliance::testing

namespace compliance::testing {
namespace {

// What bash completion offers after `words` (the last one is being typed).
std::string Complete(const std::string& words, int current) {
  const std::string script = "source <(" + CliBinary() + " completion bash); COMP_WORDS=(" + words +
                             "); COMP_CWORD=" + std::to_string(current) +
                             "; _compliancectl; echo \"${COMPREPLY[*]}\"";
  const auto result = RunProcess({"bash", "-c", script});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  return result.out;
}

TEST(CliCompletion, BashCompletesCommandsSubcommandsAndFlags) {
  EXPECT_EQ(Complete("compliancectl act", 1), "actions\n");
  EXPECT_EQ(Complete("compliancectl actions li", 2), "list\n");
  EXPECT_EQ(Complete("compliancectl actions list --ov", 3), "--overdue\n");
  EXPECT_EQ(Complete("compliancectl --output json evidence im", 4), "import\n");
  EXPECT_NE(Complete("compliancectl ''", 1).find("readiness"), std::string::npos);
}

}  // namespace
}  // namespace compliance::testing
