#pragma once

#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "store/connection_pool.h"
#include "store/idempotency_store.h"
#include "store/mutation_journal.h"
#include "store/unit_of_work.h"

namespace compliance {

/// Who asks, through which RPC, and until when: what every mutation runs with.
struct MutationContext {
  std::string method;  ///< the RPC's name (api/rpc_method.h), the scope of its request_ids
  std::string actor;
  absl::Time deadline;
};

/// The change of a mutation: lock and load, a pure domain decision, write; the audit entries
/// of what changed (rendered by the injected AuditFn) and the results of fresh request_ids go
/// into the journal. `claims` tells, per presented key, whether it was seen before.
template <typename Result>
using ApplyFn = std::function<absl::StatusOr<Result>(UnitOfWork&, const Claims&, Journal&)>;

/// The one pipeline of every mutation, all in one transaction under the store's retry rule:
/// claim the request_ids, apply the change, write the journal (audit entries and request
/// results), commit. Any failure writes nothing; a retried request finds its first result.
template <typename Result>
absl::StatusOr<Result> RunMutation(ConnectionPool& pool, const MutationContext& context,
                                   const std::vector<RequestKey>& keys,
                                   const ApplyFn<Result>& apply) {
  std::optional<Result> result;
  const absl::Status status =
      RunUnitOfWork(pool, context.deadline, [&](UnitOfWork& unit) -> absl::Status {
        result.reset();
        auto claims = ClaimRequestIds(unit, context.method, context.actor, keys);
        if (!claims.ok()) return claims.status();
        Journal journal{context.method, context.actor, {}, {}};
        auto applied = apply(unit, *claims, journal);
        if (!applied.ok()) return applied.status();
        WriteJournal(unit, journal);
        result = *std::move(applied);
        return absl::OkStatus();
      });
  if (!status.ok()) return status;
  return *std::move(result);
}

/// A mutation of one resource under at most one request_id (`key.request_id` empty: none).
template <typename Result>
struct SingleMutation {
  RequestKey key;
  /// Answers a repeat from the ids the first request produced (needed with a request_id).
  std::function<absl::StatusOr<Result>(UnitOfWork&, const std::vector<std::string>&)> replay;
  /// The change (see ApplyFn).
  std::function<absl::StatusOr<Result>(UnitOfWork&, Journal&)> apply;
  /// The ids a result is replayed from (needed with a request_id).
  std::function<std::vector<std::string>(const Result&)> produced;
};

/// RunMutation for one resource: a repeated request_id is replayed, a fresh one records what
/// the change produced.
template <typename Result>
absl::StatusOr<Result> RunMutation(ConnectionPool& pool, const MutationContext& context,
                                   const SingleMutation<Result>& mutation) {
  std::vector<RequestKey> keys;
  if (!mutation.key.request_id.empty()) keys.push_back(mutation.key);
  return RunMutation<Result>(
      pool, context, keys,
      [&](UnitOfWork& unit, const Claims& claims, Journal& journal) -> absl::StatusOr<Result> {
        if (!claims.empty() && claims[0]) return mutation.replay(unit, *claims[0]);
        auto result = mutation.apply(unit, journal);
        if (result.ok() && !keys.empty()) {
          journal.results.push_back({mutation.key.request_id, mutation.produced(*result)});
        }
        return result;
      });
}

}  // namespace compliance
