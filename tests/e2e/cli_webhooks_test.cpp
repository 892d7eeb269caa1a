// compliancectl webhooks: the real CLI against the real server and a fresh database.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "cli_run.h"
#include "server_process.h"
#include "test_database.h"

namespace compliance::testing {
namespace {

using nlohmann::json;

bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

class CliWebhooksTest : public ::testing::Test {
 protected:
  ProcessResult Cli(std::vector<std::string> args) { return RunCli(server_, std::move(args)); }
  json CliJson(std::vector<std::string> args) { return RunCliJson(server_, std::move(args)); }

  TestDatabase db_;
  ServerProcess server_{db_.url()};
};

TEST_F(CliWebhooksTest, CreateShowsTheSecretOnceAndTheOtherCommandsNever) {
  const auto created =
      Cli({"webhooks", "create", "--url", "https://grc.example.com/hooks", "--resource-prefix",
           "evidence/", "--method", "CreateEvidence", "--request-id", "hook-1"});
  ASSERT_EQ(created.exit_code, 0) << created.err;
  const size_t at = created.out.find("whsec_");
  ASSERT_NE(at, std::string::npos) << created.out;
  const std::string secret = created.out.substr(at, created.out.find('\n', at) - at);
  EXPECT_TRUE(Contains(created.err, "shown only now"));
  EXPECT_TRUE(Contains(created.out, "resource evidence/*; methods CreateEvidence"));

  const json listed = CliJson({"webhooks", "list"});
  ASSERT_EQ(listed["webhooks"].size(), 1u);
  const std::string name = listed["webhooks"][0]["name"];
  const std::string id = name.substr(name.find('/') + 1);
  const auto got = Cli({"webhooks", "get", id});
  EXPECT_EQ(got.exit_code, 0) << got.err;
  EXPECT_TRUE(Contains(got.out, "https://grc.example.com/hooks"));
  for (const auto& output : {listed.dump(), got.out, Cli({"webhooks", "list"}).out}) {
    EXPECT_FALSE(Contains(output, secret.substr(6))) << "a read shows the secret";
  }

  const json updated = CliJson(
      {"webhooks", "update", id, "--url", "https://grc.example.com/hooks/v2", "--all-methods"});
  EXPECT_EQ(updated["webhook"]["url"], "https://grc.example.com/hooks/v2");
  EXPECT_EQ(updated["webhook"]["resourcePrefix"], "evidence/") << "what is not given stays";
  EXPECT_TRUE(updated["webhook"]["methods"].empty());
  const json rotated = CliJson({"webhooks", "rotate-secret", name});
  EXPECT_NE(rotated["secret"], secret);
  EXPECT_EQ(rotated["secret"].get<std::string>().rfind("whsec_", 0), 0u);

  const auto resumed = Cli({"webhooks", "resume", id});
  EXPECT_EQ(resumed.exit_code, 1) << "an active subscription is not resumed";
  EXPECT_TRUE(Contains(resumed.err, "FAILED_PRECONDITION")) << resumed.err;
  const auto stale = Cli({"webhooks", "delete", id, "--etag", "w1"});
  EXPECT_EQ(stale.exit_code, 1);
  EXPECT_TRUE(Contains(stale.err, "ABORTED")) << stale.err;
  EXPECT_EQ(Cli({"webhooks", "delete", id}).exit_code, 0);
  EXPECT_TRUE(CliJson({"webhooks", "list"})["webhooks"].empty());
}

TEST_F(CliWebhooksTest, AnInsecureUrlIsRefusedNamingTheField) {
  const auto refused = Cli({"webhooks", "create", "--url", "http://127.0.0.1:9/hook"});
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_TRUE(Contains(refused.err, "webhook.url: must be https")) << refused.err;
  EXPECT_EQ(Cli({"webhooks", "create"}).exit_code, 2) << "--url is required";
}

}  // namespace
}  // namespace compliance::testing
