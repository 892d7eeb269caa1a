#include "import/import_request_id.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "evidence_import.h"
#include "import_requests.h"

namespace compliance::cli {
namespace {

// Rows of every shape an import meets: short and full requirement names in any order, labels
// with padding, an expiry, an upper-case digest, a UTC offset, a multi-line description, a
// nanosecond time (rounded down to microseconds) and one before 1970.
constexpr char kCsv[] =
    "requirements,kind,title,uri,collect_time,description,sha256,source,external_id,"
    "expire_time,labels\n"
    "5.1.a,policy,Access policy,https://example.com/p.pdf,2026-03-01T09:00:00Z,,,,,,\n"
    "5.1.c;5.1.a,training-record,Q1 training,https://lms.example.com/r/1,"
    "2026-03-02T10:30:00.123456Z,All staff,,lms,emp-7,2027-03-02T00:00:00Z,"
    "team=sec;site=berlin\n"
    "frameworks/iso27001-2022/requirements/8.2,audit-report,Dashboard \xc3\xa9t\xc3\xa9,"
    "s3://bucket/x.png,2026-01-15T08:00:00+02:00,\"multi, line\ntext\","
    "ABCDEF0123456789abcdef0123456789ABCDEF0123456789abcdef0123456789,,,,owner=alice\n"
    "5.1.a,policy,Access policy,https://example.com/p.pdf,2026-03-01T09:00:00.999999999Z,,,"
    "workday,,,\n"
    "9.2,other,  Padded title ,  https://example.com/a  ,1969-12-31T23:59:59.5Z,,,manual,"
    "ext 1,1970-01-02T00:00:00Z, b = 2 ; a=1\n";

struct Pinned {
  size_t line;
  std::string without_default_source;
  std::string with_default_source_workday;
};

// Computed by compliancectl 0.1.0 (c999df3), which derived the id from the server's
// RequestHash of the parsed request. Re-imports by older clients sent exactly these ids, so a
// failure here means a re-import after an upgrade would create duplicates: add a new form
// instead of editing import-v1.
const std::vector<Pinned> kPinned = {
    {2, "import-d56cf7a4b45b6a25c1c14cb0776d120834142ac1",
     "import-cf3713fdaa764754de8fc3171e84c6f60f1700ba"},
    {3, "import-6fe4af0c0fefc5c98d7de8ec1007ee3f055332cf",
     "import-6fe4af0c0fefc5c98d7de8ec1007ee3f055332cf"},
    {4, "import-3d19461f09ea2978d7547c6b2fa2e36e913c2dde",
     "import-5d2f87517975194dd6d3bf3b61911efbf195b7d1"},
    {6, "import-3c0f9da0f0afd5158edd7cd4c6e254c877f599be",
     "import-3c0f9da0f0afd5158edd7cd4c6e254c877f599be"},
    {7, "import-c3908078cc237007da15c17b61c0b3ad9799c56a",
     "import-c3908078cc237007da15c17b61c0b3ad9799c56a"},
};

std::string IdOf(const ImportRow& row, const std::string& default_source) {
  auto request = ToCreateRequest(*row.record, default_source);
  return request.ok() ? request->request_id() : std::string(request.status().message());
}

TEST(ImportRequestId, CsvRowsKeepTheIdsOfVersion1) {
  auto rows = ParseCsvImport(kCsv);
  ASSERT_TRUE(rows.ok()) << rows.status();
  ASSERT_EQ(rows->size(), kPinned.size());
  for (size_t i = 0; i < kPinned.size(); ++i) {
    const ImportRow& row = (*rows)[i];
    ASSERT_EQ(row.line, kPinned[i].line);
    ASSERT_TRUE(row.record.ok()) << row.record.status();
    EXPECT_EQ(IdOf(row, ""), kPinned[i].without_default_source) << "line " << row.line;
    EXPECT_EQ(IdOf(row, "workday"), kPinned[i].with_default_source_workday) << "line " << row.line;
  }
}

// Imports never set supersedes, but the form covers it as the 0.1.0 derivation did.
TEST(ImportRequestId, SupersedesIsTheTargetsUuid) {
  v1::Evidence evidence;
  evidence.add_requirements("frameworks/iso27001-2022/requirements/5.1.b");
  evidence.add_requirements("frameworks/iso27001-2022/requirements/5.1.a");
  evidence.set_kind(v1::EVIDENCE_KIND_POLICY);
  evidence.set_title("Policy v2");
  evidence.set_uri("https://dms.example/2");
  evidence.mutable_collect_time()->set_seconds(1767225600);
  evidence.mutable_collect_time()->set_nanos(1500);
  evidence.set_supersedes("evidence/0b0f5a4e-3c2d-4e1f-9a8b-7c6d5e4f3a2b");
  (*evidence.mutable_labels())["z"] = "last";
  (*evidence.mutable_labels())["a"] = "";
  EXPECT_EQ(ImportRequestId(evidence), "import-fd0ee50120f104dec985cb9cf334e407f16154ef");
}

}  // namespace
}  // namespace compliance::cli
