#pragma once

// What SQL needs to know of the domain's rules, spelled once: the stored numbers of states
// (checked against the enums below) and api.md's "overdue", the twin of IsOverdue() and
// IsReviewOverdue(). The numbers stay literals in the statement text, so that PostgreSQL can
// match the partial indexes on `state = 1`.

#include "domain/action.h"
#include "domain/evidence.h"

#define SQL_ACTION_OPEN "1"
#define SQL_ACTION_COMPLETED "2"
#define SQL_ACTION_CANCELLED "3"
#define SQL_EVIDENCE_ACTIVE "1"
#define SQL_EVIDENCE_SUPERSEDED "2"
#define SQL_EVIDENCE_WITHDRAWN "3"

/// Strictly past due: an action due at `now` is not overdue yet (api.md: `due_time < now`).
#define SQL_PAST_DUE(due_time, now) "(" due_time " < " now ")"
/// IsOverdue(): OPEN and past due; `a` is the actions table's alias.
#define SQL_ACTION_OVERDUE(a, now) \
  "(" a ".state = " SQL_ACTION_OPEN " AND " SQL_PAST_DUE(a ".due_time", now) ")"
/// NextReviewTime(); `r` is the requirements table's alias.
#define SQL_NEXT_REVIEW(r)               \
  "(coalesce(" r ".last_review_time, " r \
  ".tracking_start_time) + "             \
  "" r ".review_interval_us * interval '1 microsecond')"
/// IsReviewOverdue(): the next review strictly before `now`.
#define SQL_REVIEW_OVERDUE(r, now) "(" SQL_NEXT_REVIEW(r) " < " now ")"

namespace compliance::state_sql {

constexpr int Number(const char* digits) {
  int n = 0;
  for (; *digits != '\0'; ++digits) n = n * 10 + (*digits - '0');
  return n;
}

static_assert(Number(SQL_ACTION_OPEN) == static_cast<int>(ActionState::kOpen));
static_assert(Number(SQL_ACTION_COMPLETED) == static_cast<int>(ActionState::kCompleted));
static_assert(Number(SQL_ACTION_CANCELLED) == static_cast<int>(ActionState::kCancelled));
static_assert(Number(SQL_EVIDENCE_ACTIVE) == static_cast<int>(EvidenceState::kActive));
static_assert(Number(SQL_EVIDENCE_SUPERSEDED) == static_cast<int>(EvidenceState::kSuperseded));
static_assert(Number(SQL_EVIDENCE_WITHDRAWN) == static_cast<int>(EvidenceState::kWithdrawn));

}  // namespace compliance::state_sql
