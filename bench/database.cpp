#include "database.h"

#include <algorithm>
#include <chrono>
#include <thread>

namespace compliance::bench {

void LoadEvidence(pqxx::connection& connection, int64_t count, RowState state,
                  const std::string& source) {
  pqxx::work work(connection);
  work.exec_params(
      "WITH ids AS (SELECT gen_random_uuid() AS id, g FROM generate_series(1, $1::bigint) g),"
      " ev AS ("
      "  INSERT INTO evidence (id, kind, title, uri, source, external_id, collect_time,"
      "    expire_time, content_hash, state, submitter, create_time)"
      "  SELECT id, 6, 'Security awareness training ' || g, 'https://hr.example.com/t/' || id,"
      "    $3, $3 || '-' || g, now() - interval '30 days',"
      "    CASE WHEN g % 10 = 0 THEN now() - interval '1 day' ELSE now() + interval '300 days' END,"
      "    md5(id::text), $2::smallint, 'bench-loader', now() - (g % 525600) * interval '1 minute'"
      "  FROM ids RETURNING id)"
      " INSERT INTO evidence_requirements (evidence_id, framework, requirement_id, ordinal)"
      " SELECT id, 'iso27001-2022', '5.1.' || chr(97 + abs(hashtext(id::text)) % 8), 0 FROM ev",
      count, static_cast<int>(state), source);
  work.commit();
}

void LoadActions(pqxx::connection& connection, int64_t count, RowState state) {
  pqxx::work work(connection);
  work.exec_params(
      "INSERT INTO actions (framework, requirement_id, kind, title, owner, due_time, state,"
      "  complete_time, create_time, update_time)"
      " SELECT 'iso27001-2022', '5.1.' || chr(97 + (g % 8)::int), 1 + g % 9, 'Leadership action ' "
      "|| g,"
      "   'owner' || g % 50 || '@example.com', d.due, $2::smallint,"
      "   CASE WHEN $2 = 1 THEN NULL ELSE d.due END, d.due - interval '90 days', now()"
      " FROM generate_series(1, $1::bigint) g,"
      "   LATERAL (SELECT CASE WHEN $2 = 1 THEN now() + (g % 200 - 20) * interval '1 day'"
      "                   ELSE now() - (g % 1095) * interval '1 day' END AS due) d",
      count, static_cast<int>(state));
  work.commit();
}

void CompleteActions(pqxx::connection& connection, int64_t count) {
  pqxx::work work(connection);
  work.exec_params(
      "UPDATE actions SET state = 2, complete_time = now(), update_time = now(),"
      "  version = version + 1"
      " WHERE id IN (SELECT id FROM actions WHERE state = 1 ORDER BY id LIMIT $1)",
      count);
  work.commit();
}

void VacuumAnalyze(pqxx::connection& connection) {
  pqxx::nontransaction work(connection);
  // INDEX_CLEANUP ON: a bulk change leaves dead entries in few heap pages, and VACUUM would
  // otherwise skip the index pass that an autovacuum run after many small changes makes.
  work.exec(
      "VACUUM (ANALYZE, INDEX_CLEANUP ON) evidence, evidence_requirements, active_evidence_links,"
      " actions, audit_pending, audit_events, audit_tree");
}

void Settle(pqxx::connection& connection) {
  VacuumAnalyze(connection);
  pqxx::nontransaction(connection).exec("CHECKPOINT");
}

void LoadAuditLog(pqxx::connection& connection, int64_t size) {
  pqxx::work work(connection);
  // The sealer takes this lock too: it waits until the loaded events are committed.
  const int64_t head = work.exec1("SELECT sequence FROM audit_head FOR UPDATE")[0].as<int64_t>();
  if (head >= size) return;
  work.exec_params(
      "INSERT INTO audit_events (sequence, event_time, actor, method, resource, request_id,"
      "  before_json, after_json, prev_hash, hash)"
      " SELECT g, now(), 'bench-loader', '/compliance.v1.EvidenceService/CreateEvidence',"
      "   'evidence/' || g, '', '', '{\"bench\":' || g || '}', repeat('0', 64), repeat('0', 64)"
      " FROM generate_series($1::bigint + 1, $2::bigint) g",
      head, size);
  work.exec_params(
      "INSERT INTO audit_tree (level, position, hash)"
      " SELECT 0, g - 1, sha256(int8send(g)) FROM generate_series($1::bigint + 1, $2::bigint) g",
      head, size);
  // Each level from the one below, where both children exist and the parent does not yet.
  // Statistics first, for every level: planned from a table last analysed while it was small,
  // the self-join scanned the whole level once per row (over nine minutes for a million).
  for (int level = 1; (size >> level) > 0; ++level) {
    work.exec0("ANALYZE audit_tree");
    work.exec_params(
        "INSERT INTO audit_tree (level, position, hash)"
        " SELECT $1::smallint, l.position / 2, sha256('\\x01'::bytea || l.hash || r.hash)"
        " FROM audit_tree l JOIN audit_tree r ON r.level = l.level AND r.position = l.position + 1"
        " WHERE l.level = $1::smallint - 1 AND l.position % 2 = 0 AND l.position >= $2"
        " ON CONFLICT DO NOTHING",
        level, std::max<int64_t>((head >> (level - 1)) - 2, 0));
  }
  work.exec_params("UPDATE audit_head SET sequence = $1", size);
  work.commit();
}

int64_t AuditHead(pqxx::connection& connection) {
  pqxx::nontransaction work(connection);
  return work.exec1("SELECT sequence FROM audit_head")[0].as<int64_t>();
}

bool WaitForSealing(pqxx::connection& connection, int timeout_seconds) {
  for (int i = 0; i < timeout_seconds * 10; ++i) {
    pqxx::nontransaction work(connection);
    if (work.exec1("SELECT count(*) FROM audit_pending")[0].as<int64_t>() == 0) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return false;
}

std::string TypicalEvidenceJson(const std::string& id) {
  return R"({"name":"evidence/)" + id +
         R"(","requirements":["frameworks/iso27001-2022/requirements/5.1.g"],)"
         R"("kind":"EVIDENCE_KIND_TRAINING_RECORD","title":"Security awareness training 2026",)"
         R"("uri":"https://hr.example.com/training/records/)" +
         id + R"(","source":"hr-system","externalId":"training-)" + id +
         R"(","collectTime":"2026-11-02T08:00:00Z","expireTime":"2027-11-02T08:00:00Z",)"
         R"("labels":{"department":"finance"},"state":"EVIDENCE_STATE_ACTIVE",)"
         R"("submitter":"hr-sync","createTime":"2026-12-02T08:00:00.123456Z","etag":"1"})";
}

}  // namespace compliance::bench
