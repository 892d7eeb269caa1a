#include <gtest/gtest.h>

#include "process.h"
#include "server_process.h"
#include "test_database.h"

namespace compliance::testing {
namespace {

// The REST listener is on unless its address is empty; one that cannot listen stops the
// server at start, saying why, as the gRPC and metrics listeners do.
TEST(HttpListener, AnEmptyAddressTurnsItOffAndABusyOneStopsTheStart) {
  TestDatabase db;
  ServerProcess without(db.url(), {"COMPLIANCE_HTTP_LISTEN="});
  EXPECT_EQ(without.http_address(), "");
  EXPECT_FALSE(without.address().empty());

  ServerProcess first(db.url());
  ASSERT_FALSE(first.http_address().empty());
  const auto refused = RunProcess(
      {ServerBinary(), "serve"},
      {"DATABASE_URL=" + db.url(), "COMPLIANCE_LISTEN=127.0.0.1:0",
       "COMPLIANCE_METRICS_LISTEN=127.0.0.1:0", "COMPLIANCE_HTTP_LISTEN=" + first.http_address(),
       "COMPLIANCE_ALLOW_UNSIGNED_AUDIT=true", "COMPLIANCE_NO_AUTH=true"});
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_NE(refused.err.find("cannot serve HTTP on " + first.http_address()), std::string::npos)
      << refused.err;
  EXPECT_NE(HttpGet("http://" + first.http_address() + "/healthz").find("SERVING"),
            std::string::npos);
}

}  // namespace
}  // namespace compliance::testing
