#include "baselines.h"

#include <unistd.h>

#include <array>
#include <cstdio>
#include <fstream>
#include <pqxx/pqxx>
#include <random>
#include <regex>
#include <stdexcept>
#include <tuple>

#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "absl/types/span.h"
#include "database.h"

namespace compliance::bench {
namespace {

std::string RunCapturing(const std::string& command) {
  std::string out;
  FILE* pipe = popen(command.c_str(), "r");
  if (!pipe) throw std::runtime_error("cannot run " + command);
  std::array<char, 4096> buffer;
  size_t n;
  while ((n = fread(buffer.data(), 1, buffer.size(), pipe)) > 0) out.append(buffer.data(), n);
  if (pclose(pipe) != 0) throw std::runtime_error(command + " failed:\n" + out);
  return out;
}

std::string Quote(const std::string& text) {
  std::string quoted = "'";
  for (char c : text) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return quoted + "'";
}

std::string RandomUuid(std::mt19937_64& random) {
  const uint64_t a = random(), b = random();
  return absl::StrFormat("%08x-%04x-4%03x-8%03x-%012x", a >> 32, (a >> 16) & 0xffff, a & 0xfff,
                         b >> 52, b & 0xffffffffffffULL);
}

}  // namespace

double RunPgbench(const std::string& pgbench, const std::string& database_url,
                  const std::string& script, int clients, int seconds, int rate) {
  char path[] = "/tmp/compliance-bench-XXXXXX.sql";
  const int fd = mkstemps(path, 4);
  if (fd < 0) throw std::runtime_error("cannot create a pgbench script");
  close(fd);
  std::ofstream(path) << script;
  // pgbench's seconds include connecting its clients: on a loaded machine (the test suite's
  // one-second smoke run, 64 clients, beside an image build) they can pass before any
  // transaction is made. Such a run measured nothing, so it runs again for twice as long.
  std::string out;
  std::smatch match;
  for (int attempt = 1;; ++attempt, seconds *= 2) {
    std::string command = absl::StrFormat("%s -n -c %d -j %d -T %d -f %s", pgbench, clients,
                                          clients < 2 ? 1 : 2, seconds, path);
    if (rate > 0) command += absl::StrFormat(" -R %d", rate);
    out = RunCapturing(command + " " + Quote(database_url) + " 2>&1");
    if (std::regex_search(out, match, std::regex(R"(tps = ([0-9.]+))"))) break;
    if (attempt == 3 || out.find("actually processed: 0\n") == std::string::npos) break;
  }
  unlink(path);
  if (match.empty()) throw std::runtime_error("pgbench printed no tps:\n" + out);
  return std::stod(match[1]);
}

std::string CreateEvidenceScript() {
  return "\\set n random(1, 1000000000)\n"
         "WITH e AS (INSERT INTO evidence (kind, title, uri, source, external_id, collect_time,"
         " content_hash, submitter) VALUES (6, 'Security awareness training 2026',"
         " 'https://hr.example.com/training/records/' || :client_id || '-' || :n,"
         " 'pgbench', gen_random_uuid()::text, now(), md5(random()::text), 'pgbench')"
         " RETURNING id),"
         " l AS (INSERT INTO evidence_requirements (evidence_id, framework, requirement_id,"
         " ordinal) SELECT id, 'iso27001-2022', '5.1.g', 0 FROM e)"
         " INSERT INTO audit_pending (actor, method, resource, after_json)"
         " SELECT 'pgbench', '/compliance.v1.EvidenceService/CreateEvidence', 'evidence/' || id,"
         " '" +
         TypicalEvidenceJson("00000000-0000-4000-8000-000000000000") + "' FROM e;\n";
}

std::string AuditEventScript() {
  return "INSERT INTO audit_pending (actor, method, resource, after_json) VALUES ('pgbench',"
         " '/compliance.v1.RequirementService/UpdateRequirement',"
         " 'frameworks/iso27001-2022/requirements/5.1.a', '{\"owner\":\"ciso@example.com\"}');\n" +
         std::string(kAsAnotherReplica);
}

double CopyEvidence(const std::string& database_url, int64_t records, int64_t per_transaction,
                    int64_t round) {
  std::mt19937_64 random(27001 + round);
  std::vector<std::string> ids;
  for (int64_t i = 0; i < records; ++i) ids.push_back(RandomUuid(random));
  pqxx::connection connection(database_url);
  const absl::Time start = absl::Now();
  for (int64_t first = 0; first < records; first += per_transaction) {
    const absl::Span<const std::string> chunk =
        absl::MakeConstSpan(ids).subspan(first, per_transaction);
    pqxx::work work(connection);
    {
      pqxx::stream_to evidence(
          work, "evidence",
          std::vector<std::string>{"id", "kind", "title", "uri", "source", "external_id",
                                   "collect_time", "expire_time", "content_hash", "submitter"});
      for (const auto& id : chunk) {
        evidence << std::make_tuple(id, 6, "Security awareness training 2026",
                                    "https://hr.example.com/training/records/" + id, "copy",
                                    "training-" + id, "2026-11-02 08:00:00+00",
                                    "2027-11-02 08:00:00+00", id, "copy");
      }
      evidence.complete();
    }
    {
      pqxx::stream_to links(
          work, "evidence_requirements",
          std::vector<std::string>{"evidence_id", "framework", "requirement_id", "ordinal"});
      for (const auto& id : chunk) {
        links << std::make_tuple(id, "iso27001-2022", "5.1.g", 0);
      }
      links.complete();
    }
    {
      pqxx::stream_to events(work, "audit_pending",
                             std::vector<std::string>{"actor", "method", "resource", "after_json"});
      for (const auto& id : chunk) {
        events << std::make_tuple("copy", "/compliance.v1.EvidenceService/BatchCreateEvidence",
                                  "evidence/" + id, TypicalEvidenceJson(id));
      }
      events.complete();
    }
    work.commit();
  }
  return absl::ToDoubleSeconds(absl::Now() - start);
}

}  // namespace compliance::bench
