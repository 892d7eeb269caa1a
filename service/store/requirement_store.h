#pragma once

#include <optional>
#include <pqxx/pqxx>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "domain/requirement.h"
#include "store/connection_pool.h"
#include "store/read_cache.h"
#include "store/unit_of_work.h"

namespace compliance {

/// Filters of ListRequirements; empty members match everything.
struct RequirementFilter {
  std::string framework;
  std::string clause;
  Conformity conformity = Conformity::kUnspecified;
  bool review_overdue_only = false;
};

/// One page of requirements; `more` tells whether rows follow the last one.
struct RequirementPage {
  std::vector<Requirement> requirements;
  std::vector<int> positions;  ///< catalog position of each row, for the next cursor
  bool more = false;
};

/// Reads requirements from PostgreSQL. Counts are evaluated at `now`. Reads are
/// answered from memory while the pool's ChangeSignal vouches that nothing changed (a
/// dashboard's hundredth identical read costs no query); see ReadCache.
class RequirementStore {
 public:
  /// `clock` ages the held answers (the instant asked about comes with each read).
  RequirementStore(ConnectionPool& pool, const Clock& clock)
      : pool_(pool),
        get_cache_(pool.changes(), kCacheMaxAge, clock),
        list_cache_(pool.changes(), kCacheMaxAge, clock) {}

  /// Prepares this store's statements on a new connection.
  static void Prepare(pqxx::connection& connection);

  /// NOT_FOUND when no such requirement exists.
  absl::StatusOr<Requirement> Get(const RequirementKey& key, absl::Time now, absl::Time deadline);

  /// Up to `limit` requirements after catalog position `after_position`, in catalog order.
  absl::StatusOr<RequirementPage> List(const RequirementFilter& filter, int after_position,
                                       int limit, absl::Time now, absl::Time deadline);

  /// Get and List from memory alone, shared with the cache: null when the answer is not held
  /// (never blocks).
  std::shared_ptr<const Requirement> GetFromMemory(const RequirementKey& key, absl::Time now) const;
  std::shared_ptr<const RequirementPage> ListFromMemory(const RequirementFilter& filter,
                                                        int after_position, int limit,
                                                        absl::Time now) const;

 private:
  static constexpr absl::Duration kCacheMaxAge = absl::Seconds(1);
  ConnectionPool& pool_;
  ReadCache<Requirement> get_cache_;
  ReadCache<RequirementPage> list_cache_;
};

// Statements of a mutation's unit of work (app/requirement_commands).

/// The requirement with its live counts at `now`, locked until the unit ends; NOT_FOUND when
/// there is none.
absl::StatusOr<Requirement> LockRequirement(UnitOfWork& unit, const RequirementKey& key,
                                            absl::Time now);
/// Stores what a client may change (owner, interval, notes, conformity, the last review) and
/// returns the requirement with its new version and update time.
Requirement WriteRequirement(UnitOfWork& unit, const Requirement& requirement);
/// Appends a review to the requirement's history.
void InsertReview(UnitOfWork& unit, const RequirementKey& key, const Review& review);

}  // namespace compliance
