#pragma once

#include <string>

#include "compliance/v1/evidence.pb.h"

namespace compliance {

/// The request_id that `compliancectl evidence import` sends for a row that names none, so
/// that importing the same row again is recognised by the server as a retry.
///
/// Contract "import-v1": `import-` followed by the first 40 lowercase hex digits of SHA-256
/// over "evidence/v1;" and then these fields of the request's Evidence, each written as
/// `<byte length>:<bytes>;`:
///   the number of distinct requirement names, then those names in byte order;
///   kind as a decimal number; title; description; uri; sha256;
///   source, with an empty one written as "manual" (the server's default);
///   external_id;
///   collect_time as decimal Unix microseconds (rounded down);
///   expire_time likewise, or "-" when unset;
///   the number of labels, then each key and its value, in key byte order;
///   the UUID that `supersedes` names (without "evidence/"), or "-" when empty.
/// Every field is taken as the request carries it; nothing is trimmed or checked here (a row
/// the server rejects gets an id that never matters).
///
/// The ids of earlier releases are stored by every server that saw an import, so editing this
/// form changes what re-imports send and breaks their deduplication: forms are only added.
/// tests/unit/import_request_id_test.cpp pins the ids of sample rows.
std::string ImportRequestId(const v1::Evidence& evidence);

}  // namespace compliance
