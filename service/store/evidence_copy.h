#pragma once

// A batch's new records written with COPY instead of one statement's json parameter: PostgreSQL
// parses and inserts each row while this process writes the next, where a json parameter is
// first built whole here and then parsed whole there (bench/README.md, issue 18).

#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "domain/evidence.h"
#include "store/evidence_store.h"

namespace compliance {

/// Batches of at least this many new records are written by COPY; fewer take the single
/// statement, whose one round trip beats COPY's two per table.
inline constexpr size_t kCopyRecordsFrom = 64;

/// The labels as the json object stored in evidence.labels.
std::string LabelsJson(const EvidenceContent& content);

/// COPYs `records` into evidence (with `submitter`) and their links into
/// evidence_requirements, in `work`. Throws pqxx::unique_violation as an INSERT would.
void CopyEvidenceRecords(pqxx::transaction_base& work, const std::vector<RecordToInsert>& records,
                         const std::string& submitter);

}  // namespace compliance
