// The request hashes are a contract with every client that retries: a retry sent across an
// upgrade must hash as the first request did. The expected values were computed apart from
// this code, from the encoding documented in domain/request_hash.h (length-prefixed fields).
#include "domain/request_hash.h"

#include <gtest/gtest.h>

namespace compliance {
namespace {

TEST(RequestHash, CreateActionKeepsItsForm) {
  ActionFields f;
  f.requirement = {"iso27001-2022", "5.1.a"};
  f.kind = 1;
  f.title = "Management review";
  f.owner = "ceo@example.com";
  f.due_time = absl::FromUnixSeconds(1790000000);
  f.recurrence = absl::Hours(24 * 90);
  f.evidence_required = true;
  EXPECT_EQ(RequestHash(f), "5c6b04c3e2b2d991eeb688c8dcac0774e6851631c9c1446a62bd5bac3365dea7");
  f.title = "Management review 2";
  EXPECT_NE(RequestHash(f), "5c6b04c3e2b2d991eeb688c8dcac0774e6851631c9c1446a62bd5bac3365dea7");
}

TEST(RequestHash, CompleteActionKeepsItsForm) {
  Completion c;
  c.evidence = {"00000000-0000-4000-8000-00000000000a"};
  c.note = "held";
  c.etag = "a7";  // not part of what is asked for: a retry may carry a newer etag
  EXPECT_EQ(RequestHash("actions/00000000-0000-4000-8000-000000000001", c),
            "68a1e94118a446021dab3d7f121c189e55fd679192fd116360702a8abf6baa2b");
  c.complete_time = absl::FromUnixSeconds(1790000000);
  EXPECT_NE(RequestHash("actions/00000000-0000-4000-8000-000000000001", c),
            "68a1e94118a446021dab3d7f121c189e55fd679192fd116360702a8abf6baa2b");
}

TEST(RequestHash, CreateEvidenceKeepsItsFormAndIgnoresRequirementOrder) {
  NewEvidence e;
  e.content.requirements = {{"iso27001-2022", "5.1.f"}, {"iso27001-2022", "5.1.b"}};
  e.content.kind = 6;
  e.content.title = "Training";
  e.content.uri = "https://hr.example.com/1";
  e.content.source = "hr-system";
  e.content.external_id = "emp-1";
  e.content.collect_time = absl::FromUnixSeconds(1790000000);
  e.content.labels = {{"site", "Zürich"}};
  const std::string expected = "6165bf64f94b6241c01987ed9caf7e2a9581c93d9741c543236087ffed481a6e";
  EXPECT_EQ(RequestHash(e), expected);
  std::swap(e.content.requirements[0], e.content.requirements[1]);
  EXPECT_EQ(RequestHash(e), expected);
  e.supersedes = "00000000-0000-4000-8000-000000000002";
  EXPECT_NE(RequestHash(e), expected);
}

}  // namespace
}  // namespace compliance
