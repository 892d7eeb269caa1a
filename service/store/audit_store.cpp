#include "store/audit_store.h"

#include <array>
#include <stdexcept>

#include "absl/strings/str_cat.h"
#include "domain/audit.h"
#include "domain/merkle.h"
#include "store/audit_sql.h"
#include "store/audit_tree_store.h"
#include "store/json_rows.h"
#include "store/transaction.h"

namespace compliance {
namespace {

// $1 [{actor, method, resource, request_id, before_json, after_json}]
constexpr char kAppend[] = "audit_append";
constexpr char kAppendSql[] = AUDIT_APPEND_SQL("$1");

#define AUDIT_COLUMNS                                                                  \
  "sequence, ts_to_us(event_time), actor, method, resource, request_id, before_json, " \
  "after_json, prev_hash, hash "

constexpr char kList[] = "audit_list";
constexpr char kListSql[] = "SELECT " AUDIT_COLUMNS
                            "FROM audit_events WHERE sequence > $1 AND ($2 = '' OR resource = $2) "
                            "ORDER BY sequence LIMIT $3";

// One event by its sequence. Not audit_list with a limit of one: that statement's plan depends
// on its parameters (an empty or a given resource), so PostgreSQL plans it again for every
// execution, which cost a proof about 60 µs (pg_stat_statements, bench --only proof); this one
// keeps its generic plan, a probe of the primary key.
constexpr char kGet[] = "audit_get";
constexpr char kGetSql[] = "SELECT " AUDIT_COLUMNS "FROM audit_events WHERE sequence = $1";

constexpr char kHead[] = "audit_head";
constexpr char kHeadSql[] = "SELECT sequence, hash FROM audit_head";

// The sealer's statements: pending entries that are committed (visible) in id order.
constexpr char kPending[] = "audit_pending_batch";
constexpr char kPendingSql[] =
    "SELECT id, ts_to_us(event_time), actor, method, resource, request_id, before_json,"
    "  after_json FROM audit_pending ORDER BY id LIMIT $1 FOR UPDATE";
constexpr char kHeadForUpdate[] = "audit_head_for_update";
constexpr char kHeadForUpdateSql[] = "SELECT sequence, hash FROM audit_head FOR UPDATE";
// Moves the pending entries into the log with the sequence and hashes computed for them
// ($1: [{id, sequence, prev_hash, hash}]), inserts the tree nodes they complete ($2, as
// AuditTreeStore::NodesJson renders them), moves the head to the last of them ($3 sequence,
// $4 hash) and tells other replicas (delivered at commit): one round trip. The content goes
// from table to table inside PostgreSQL, exactly as it was read and hashed (the rows are
// locked), instead of travelling back as a parameter. Exactly the sealed ids: an entry with a
// lower id may have committed since the batch was read. Answers how many events it inserted.
// $5 and $6, the lowest and highest sealed id, let the plan reach the entries through the
// primary key whatever the statistics: joined on the id alone, a plan made while the table
// was small scanned all of it, a backlog included, for every seal (as change 33 found for
// the tree's nodes, bench/README.md).
constexpr char kSeal[] = "audit_seal";
constexpr char kSealSql[] =
    "WITH moved AS ("
    "  DELETE FROM audit_pending p"
    "  USING json_to_recordset($1::json) AS h(id bigint, sequence bigint, prev_hash text,"
    "    hash text) "
    "  WHERE p.id = h.id AND p.id BETWEEN $5::bigint AND $6::bigint "
    "  RETURNING h.sequence, p.event_time, p.actor, p.method, p.resource, p.request_id,"
    "    p.before_json, p.after_json, h.prev_hash, h.hash), "
    "nodes AS (INSERT INTO audit_tree (level, position, hash) " AUDIT_TREE_ROWS_SQL("$2") "), "
    "events AS (INSERT INTO audit_events (sequence, event_time, actor, method, resource,"
    "  request_id, before_json, after_json, prev_hash, hash) "
    "  SELECT * FROM moved RETURNING 1), "
    "head AS (UPDATE audit_head SET sequence = $3::bigint, hash = $4) "
    "SELECT (SELECT count(*) FROM events), pg_notify('audit_sealed', ($3::bigint)::text)";

#undef AUDIT_COLUMNS

AuditEvent ReadEvent(const pqxx::row& row) {
  AuditEvent event;
  event.sequence = row[0].as<int64_t>();
  event.time = absl::FromUnixMicros(row[1].as<int64_t>());
  event.entry = {row[2].as<std::string>(), row[3].as<std::string>(), row[4].as<std::string>(),
                 row[5].as<std::string>(), row[6].as<std::string>(), row[7].as<std::string>()};
  event.prev_hash = row[8].as<std::string>();
  event.hash = row[9].as<std::string>();
  return event;
}

}  // namespace

std::string AuditRowsJson(const std::vector<AuditEntry>& entries) {
  JsonRows rows;
  for (const auto& e : entries) {
    rows.Row();
    rows.String("actor", e.actor);
    rows.String("method", e.method);
    rows.String("resource", e.resource);
    rows.String("request_id", e.request_id);
    rows.Document("before_json", e.before_json);
    rows.Document("after_json", e.after_json);
  }
  return rows.Finish();
}

void AppendAuditEntries(pqxx::dbtransaction& work, const std::vector<AuditEntry>& entries) {
  if (entries.empty()) return;
  work.exec_prepared0(kAppend, AuditRowsJson(entries));
}

void CopyAuditEntries(pqxx::transaction_base& work, const std::vector<AuditEntry>& entries) {
  if (entries.empty()) return;
  pqxx::stream_to rows(work, "audit_pending",
                       std::vector<std::string>{"actor", "method", "resource", "request_id",
                                                "before_json", "after_json"});
  for (const auto& e : entries) {
    rows << std::array<const char*, 6>{e.actor.c_str(),       e.method.c_str(),
                                       e.resource.c_str(),    e.request_id.c_str(),
                                       e.before_json.c_str(), e.after_json.c_str()};
  }
  rows.complete();
}

void AuditStore::Prepare(pqxx::connection& connection) {
  const std::pair<const char*, const char*> statements[] = {
      {kAppend, kAppendSql}, {kList, kListSql},       {kGet, kGetSql},
      {kHead, kHeadSql},     {kPending, kPendingSql}, {kHeadForUpdate, kHeadForUpdateSql},
      {kSeal, kSealSql},
  };
  for (const auto& [name, text] : statements) connection.prepare(name, text);
}

absl::StatusOr<std::vector<AuditEvent>> AuditStore::List(int64_t after_sequence,
                                                         const std::string& resource, int limit,
                                                         absl::Time deadline) {
  return RunRead(pool_, deadline,
                 [&](pqxx::transaction_base& work) -> absl::StatusOr<std::vector<AuditEvent>> {
                   return ListIn(work, after_sequence, resource, limit);
                 });
}

std::vector<AuditEvent> AuditStore::ListIn(pqxx::transaction_base& work, int64_t after_sequence,
                                           const std::string& resource, int limit) {
  std::vector<AuditEvent> events;
  for (const auto& row : work.exec_prepared(kList, after_sequence, resource, limit)) {
    events.push_back(ReadEvent(row));
  }
  return events;
}

std::optional<AuditEvent> AuditStore::GetIn(pqxx::transaction_base& work, int64_t sequence) {
  const auto rows = work.exec_prepared(kGet, sequence);
  if (rows.empty()) return std::nullopt;
  return ReadEvent(rows[0]);
}

std::vector<AuditEvent> AuditStore::ListOn(pqxx::connection& connection, int64_t after_sequence,
                                           int limit) {
  pqxx::nontransaction work(connection);
  return ListIn(work, after_sequence, "", limit);
}

int64_t AuditStore::HeadOn(pqxx::connection& connection) {
  pqxx::nontransaction work(connection);
  return work.exec_prepared1(kHead)[0].as<int64_t>();
}

absl::StatusOr<ChainReport> AuditStore::Verify(absl::Time deadline) {
  return RunRead(pool_, deadline, [&](pqxx::transaction_base& work) -> absl::StatusOr<ChainReport> {
    // The head first: events sealed while we read are beyond it and not judged this time.
    const auto head = work.exec_prepared1(kHead);
    const int64_t head_sequence = head[0].as<int64_t>();
    constexpr int kPage = 5000;
    ChainVerifier verifier;
    int64_t after = 0;
    bool beyond_head = false;
    while (verifier.intact() && !beyond_head) {
      const auto rows = work.exec_prepared(kList, after, "", kPage);
      for (const auto& row : rows) {
        const AuditEvent event = ReadEvent(row);
        if (event.sequence > head_sequence) {
          beyond_head = true;
          break;
        }
        after = event.sequence;
        verifier.Add(event);
        if (!verifier.intact()) break;
      }
      if (static_cast<int>(rows.size()) < kPage) break;
    }
    ChainReport report{verifier.intact(), verifier.verified(), verifier.first_broken(),
                       verifier.detail()};
    if (report.intact && verifier.verified() < head_sequence) {
      report.intact = false;
      report.first_broken_sequence = verifier.verified() + 1;
      report.detail = absl::StrCat("events ", verifier.verified() + 1, "…", head_sequence,
                                   " are missing (deleted from the end of the log)");
    } else if (report.intact && head_sequence > 0 &&
               head[1].as<std::string>() != verifier.last_hash()) {
      report.intact = false;
      report.first_broken_sequence = head_sequence;
      report.detail = absl::StrCat("event ", head_sequence,
                                   " does not match the sealed chain head (the log was rewritten)");
    }
    if (report.intact) report.detail = absl::StrCat(report.verified_events, " events verified");
    return report;
  });
}

int AuditStore::SealBatch(pqxx::connection& connection, int limit,
                          std::vector<AuditEvent>* sealed_events) {
  pqxx::work work(connection);
  const auto pending = work.exec_prepared(kPending, limit);
  if (pending.empty()) return 0;
  const auto head = work.exec_prepared1(kHeadForUpdate);
  const int64_t old_size = head[0].as<int64_t>();
  int64_t sequence = old_size;
  std::string prev_hash = head[1].as<std::string>();
  std::vector<std::string> leaves;
  leaves.reserve(pending.size());
  JsonRows sealed;
  std::vector<AuditEvent> events;
  events.reserve(pending.size());
  for (const auto& row : pending) {
    AuditEvent event;
    event.sequence = ++sequence;
    event.time = absl::FromUnixMicros(row[1].as<int64_t>());
    event.entry = {row[2].as<std::string>(), row[3].as<std::string>(), row[4].as<std::string>(),
                   row[5].as<std::string>(), row[6].as<std::string>(), row[7].as<std::string>()};
    event.prev_hash = prev_hash;
    // One encoding for both hashes: the chain's and the tree leaf's.
    const std::string canonical = AuditCanonical(sequence, event.time, event.entry);
    event.hash = AuditChainHash(prev_hash, canonical);
    sealed.Row();
    sealed.Number("id", row[0].as<int64_t>());
    sealed.Number("sequence", sequence);
    sealed.String("prev_hash", event.prev_hash);
    sealed.String("hash", event.hash);
    prev_hash = event.hash;
    leaves.push_back(MerkleLeafHash(canonical));
    events.push_back(std::move(event));
  }
  const std::string tree_nodes = AuditTreeStore::NodesJson(
      AppendLeaves(old_size, AuditTreeStore::NodeHashes(work, RangeNodes({0, old_size})), leaves));
  const auto moved =
      work.exec_prepared1(kSeal, sealed.Finish(), tree_nodes, sequence, prev_hash,
                          pending.front()[0].as<int64_t>(), pending.back()[0].as<int64_t>());
  if (moved[0].as<size_t>() != pending.size()) {
    throw std::runtime_error("audit sealer: pending entries changed while being sealed");
  }
  work.commit();
  if (sealed_events) *sealed_events = std::move(events);
  return static_cast<int>(pending.size());
}

}  // namespace compliance
