#include "domain/oscal.h"

#include <gtest/gtest.h>

#include <regex>

namespace compliance {
namespace {

TEST(StableUuid, IsAVersion5UuidThatDependsOnlyOnItsKey) {
  const std::regex oscal_uuid(
      "^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$");
  for (const char* key : {"finding/x", "risk/y", "", "observation/0b7c6c1e"}) {
    EXPECT_TRUE(std::regex_match(StableUuid(key), oscal_uuid)) << StableUuid(key);
  }
  EXPECT_EQ(StableUuid("finding/x"), StableUuid("finding/x"));
  EXPECT_NE(StableUuid("finding/x"), StableUuid("finding/y"));
}

}  // namespace
}  // namespace compliance
