#include "domain/token.h"

#include <gtest/gtest.h>

namespace compliance {
namespace {

TEST(TokenGrant, NamesAreLowercaseWordsOfAtMost63Characters) {
  EXPECT_TRUE(IsTokenName("hr-sync"));
  EXPECT_TRUE(IsTokenName("a"));
  EXPECT_TRUE(IsTokenName("0.finance_bot-2"));
  EXPECT_TRUE(IsTokenName(std::string(63, 'a')));
  EXPECT_FALSE(IsTokenName(std::string(64, 'a')));
  EXPECT_FALSE(IsTokenName(""));
  EXPECT_FALSE(IsTokenName("-lead"));
  EXPECT_FALSE(IsTokenName("Upper"));
  EXPECT_FALSE(IsTokenName("with space"));
  EXPECT_FALSE(IsTokenName("caf\xC3\xA9"));
}

TEST(TokenGrant, EveryRefusalNamesItsField) {
  EXPECT_TRUE(CheckTokenGrant({"hr-sync", Role::kIntegrator, {"hr-system"}}).ok());
  EXPECT_TRUE(CheckTokenGrant({"dashboard", Role::kViewer, {}}).ok());
  const auto name = CheckTokenGrant({"Dashboard", Role::kViewer, {}});
  EXPECT_EQ(name.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(name.message().rfind("name: ", 0), 0u) << name;
  const auto source = CheckTokenGrant({"hr-sync", Role::kIntegrator, {"HR"}});
  EXPECT_EQ(source.message().rfind("sources: \"HR\"", 0), 0u) << source;
  const auto not_integrator = CheckTokenGrant({"editor", Role::kEditor, {"hr-system"}});
  EXPECT_EQ(not_integrator.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(not_integrator.message().rfind("sources: ", 0), 0u) << not_integrator;
}

}  // namespace
}  // namespace compliance
