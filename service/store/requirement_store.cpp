#include "store/requirement_store.h"

#include <nlohmann/json.hpp>

#include "absl/strings/str_cat.h"
#include "store/state_sql.h"
#include "store/transaction.h"
#include "store/unit_of_work_sql.h"

namespace compliance {
namespace {

// Columns of a requirement with its live counts; $1 is "now" in microseconds.
#define REQUIREMENT_COLUMNS                                                          \
  "r.framework, r.requirement_id, r.clause, r.position, r.reference, r.title, "      \
  "r.description, array_to_json(r.evidence_guidance)::text, r.conformity, r.owner, " \
  "r.review_interval_us, ts_to_us(r.last_review_time), r.last_reviewer, r.notes, "   \
  "ts_to_us(r.tracking_start_time), ts_to_us(r.update_time), r.version, "            \
  "live_evidence_count(r.framework, r.requirement_id, us_to_ts($1)), "               \
  "(SELECT count(*) FROM actions a WHERE a.framework = r.framework"                  \
  "   AND a.requirement_id = r.requirement_id AND a.state = " SQL_ACTION_OPEN        \
  "), "                                                                              \
  "(SELECT count(*) FROM actions a WHERE a.framework = r.framework"                  \
  "   AND a.requirement_id = r.requirement_id"                                       \
  "   AND " SQL_ACTION_OVERDUE("a", "us_to_ts($1)") ") "

constexpr char kGet[] = "requirement_get";
// The first instant after $1 at which a time-dependent figure of any requirement flips: an
// open action falls overdue (just after its due time: overdue is strictly past due), live
// evidence expires (at its expire time), a review goes stale (just after it falls due). Until
// then, and unless something is written, a read's answer stays the answer (see ReadCache).
#define JUST_AFTER " + interval '1 microsecond'"
#define VALID_UNTIL \
  ", ts_to_us(least("                                                                       \
  "  (SELECT min(a.due_time) FROM actions a"                                                \
  "     WHERE a.state = " SQL_ACTION_OPEN " AND a.due_time >= us_to_ts($1))" JUST_AFTER "," \
  "  (SELECT min(l.expire_time) FROM active_evidence_links l"                               \
  "     WHERE l.expire_time > us_to_ts($1)),"                                               \
  "  (SELECT min(n.next_review) FROM (SELECT " SQL_NEXT_REVIEW("q")                         \
  " AS next_review FROM requirements q) n"                                                  \
  "     WHERE n.next_review >= us_to_ts($1))" JUST_AFTER ")) "

constexpr char kGetSql[] = "SELECT " REQUIREMENT_COLUMNS VALID_UNTIL
                           "FROM requirements r WHERE r.framework = $2 AND r.requirement_id = $3";

constexpr char kGetForUpdate[] = "requirement_get_for_update";
constexpr char kGetForUpdateSql[] =
    "SELECT " REQUIREMENT_COLUMNS
    "FROM requirements r WHERE r.framework = $2 AND r.requirement_id = $3 FOR UPDATE OF r";

// The overdue filter repeats NextReviewTime() in SQL so that pages stay full.
constexpr char kList[] = "requirement_list";
constexpr char kListSql[] =
    "SELECT " REQUIREMENT_COLUMNS VALID_UNTIL
    "FROM requirements r "
    "WHERE ($2 = '' OR r.framework = $2) AND ($3 = '' OR r.clause = $3) "
    "  AND ($4 = 0 OR r.conformity = $4) AND r.position > $5 "
    "  AND (NOT $6 OR " SQL_REVIEW_OVERDUE("r", "us_to_ts($1)") ") "
    "ORDER BY r.position LIMIT $7";

constexpr char kUpdate[] = "requirement_update";
constexpr char kUpdateSql[] =
    "UPDATE requirements SET owner = $3, review_interval_us = $4, notes = $5, conformity = $6,"
    "  last_review_time = us_to_ts($7), last_reviewer = $8, update_time = now(),"
    "  version = version + 1 "
    "WHERE framework = $1 AND requirement_id = $2 "
    "RETURNING ts_to_us(update_time), version";

constexpr char kInsertReview[] = "requirement_review_insert";
constexpr char kInsertReviewSql[] =
    "INSERT INTO requirement_reviews"
    "  (framework, requirement_id, conformity, notes, review_time, reviewer) "
    "VALUES ($1, $2, $3, $4, us_to_ts($5), $6)";

#undef VALID_UNTIL
#undef REQUIREMENT_COLUMNS

absl::Time TimeFromMicros(const pqxx::field& field) {
  return absl::FromUnixMicros(field.as<int64_t>());
}

Requirement ReadRequirement(const pqxx::row& row, int* position) {
  Requirement r;
  r.key = RequirementKey{row[0].as<std::string>(), row[1].as<std::string>()};
  r.clause = row[2].as<std::string>();
  if (position != nullptr) *position = row[3].as<int>();
  r.reference = row[4].as<std::string>();
  r.title = row[5].as<std::string>();
  r.description = row[6].as<std::string>();
  r.evidence_guidance =
      nlohmann::json::parse(row[7].as<std::string>()).get<std::vector<std::string>>();
  r.conformity = static_cast<Conformity>(row[8].as<int>());
  r.owner = row[9].as<std::string>();
  r.review_interval = absl::Microseconds(row[10].as<int64_t>());
  if (!row[11].is_null()) r.last_review_time = TimeFromMicros(row[11]);
  r.last_reviewer = row[12].as<std::string>();
  r.notes = row[13].as<std::string>();
  r.tracking_start_time = TimeFromMicros(row[14]);
  r.update_time = TimeFromMicros(row[15]);
  r.version = row[16].as<int64_t>();
  r.valid_evidence_count = row[17].as<int32_t>();
  r.open_action_count = row[18].as<int32_t>();
  r.overdue_action_count = row[19].as<int32_t>();
  return r;
}

// Column 20: when the answer may change by time alone (no row: never).
absl::Time ValidUntil(const pqxx::row& row) {
  return row[20].is_null() ? absl::InfiniteFuture() : TimeFromMicros(row[20]);
}

absl::Status NotFound(const RequirementKey& key) {
  return absl::NotFoundError(absl::StrCat("requirement ", key.Name(), " does not exist"));
}

std::string ListCacheKey(const RequirementFilter& filter, int after_position, int limit) {
  return absl::StrCat(filter.framework, "\n", filter.clause, "\n",
                      static_cast<int>(filter.conformity), "\n", filter.review_overdue_only, "\n",
                      after_position, "\n", limit);
}

}  // namespace

void RequirementStore::Prepare(pqxx::connection& connection) {
  connection.prepare(kGet, kGetSql);
  connection.prepare(kGetForUpdate, kGetForUpdateSql);
  connection.prepare(kList, kListSql);
  connection.prepare(kUpdate, kUpdateSql);
  connection.prepare(kInsertReview, kInsertReviewSql);
}

absl::StatusOr<Requirement> RequirementStore::Get(const RequirementKey& key, absl::Time now,
                                                  absl::Time deadline) {
  const std::string cache_key = key.Name();
  if (auto hit = get_cache_.Find(cache_key, now)) return *hit;
  const uint64_t generation = get_cache_.Generation();
  absl::Time valid_until;
  auto found =
      RunRead(pool_, deadline, [&](pqxx::transaction_base& work) -> absl::StatusOr<Requirement> {
        const auto result =
            work.exec_prepared(kGet, absl::ToUnixMicros(now), key.framework, key.id);
        if (result.empty()) return NotFound(key);
        valid_until = ValidUntil(result[0]);
        return ReadRequirement(result[0], nullptr);
      });
  if (found.ok()) get_cache_.Store(cache_key, *found, generation, now, valid_until);
  return found;
}

std::shared_ptr<const Requirement> RequirementStore::GetFromMemory(const RequirementKey& key,
                                                                   absl::Time now) const {
  return get_cache_.Find(key.Name(), now);
}

std::shared_ptr<const RequirementPage> RequirementStore::ListFromMemory(
    const RequirementFilter& filter, int after_position, int limit, absl::Time now) const {
  return list_cache_.Find(ListCacheKey(filter, after_position, limit), now);
}

absl::StatusOr<RequirementPage> RequirementStore::List(const RequirementFilter& filter,
                                                       int after_position, int limit,
                                                       absl::Time now, absl::Time deadline) {
  const std::string cache_key = ListCacheKey(filter, after_position, limit);
  if (auto hit = list_cache_.Find(cache_key, now)) return *hit;
  const uint64_t generation = list_cache_.Generation();
  absl::Time valid_until = absl::InfiniteFuture();
  auto page = RunRead(
      pool_, deadline, [&](pqxx::transaction_base& work) -> absl::StatusOr<RequirementPage> {
        const auto result =
            work.exec_prepared(kList, absl::ToUnixMicros(now), filter.framework, filter.clause,
                               static_cast<int>(filter.conformity), after_position,
                               filter.review_overdue_only, limit + 1);
        RequirementPage page;
        for (const auto& row : result) {
          valid_until = ValidUntil(row);
          if (static_cast<int>(page.requirements.size()) == limit) {
            page.more = true;
            break;
          }
          int position = 0;
          page.requirements.push_back(ReadRequirement(row, &position));
          page.positions.push_back(position);
        }
        return page;
      });
  // An empty page carries no instant: it is not kept (such pages are rare and cheap).
  if (page.ok() && !page->requirements.empty()) {
    list_cache_.Store(cache_key, *page, generation, now, valid_until);
  }
  return page;
}

absl::StatusOr<Requirement> LockRequirement(UnitOfWork& unit, const RequirementKey& key,
                                            absl::Time now) {
  const auto current =
      unit.work().exec_prepared(kGetForUpdate, absl::ToUnixMicros(now), key.framework, key.id);
  if (current.empty()) return NotFound(key);
  return ReadRequirement(current[0], nullptr);
}

Requirement WriteRequirement(UnitOfWork& unit, const Requirement& requirement) {
  std::optional<int64_t> last_review_us;
  if (requirement.last_review_time) {
    last_review_us = absl::ToUnixMicros(*requirement.last_review_time);
  }
  const auto updated = unit.work().exec_prepared1(
      kUpdate, requirement.key.framework, requirement.key.id, requirement.owner,
      absl::ToInt64Microseconds(requirement.review_interval), requirement.notes,
      static_cast<int>(requirement.conformity), last_review_us, requirement.last_reviewer);
  Requirement stored = requirement;
  stored.update_time = TimeFromMicros(updated[0]);
  stored.version = updated[1].as<int64_t>();
  return stored;
}

void InsertReview(UnitOfWork& unit, const RequirementKey& key, const Review& review) {
  unit.work().exec_prepared0(kInsertReview, key.framework, key.id,
                             static_cast<int>(review.conformity), review.notes,
                             absl::ToUnixMicros(review.review_time), review.reviewer);
}

}  // namespace compliance
