#pragma once

#include <optional>
#include <pqxx/pqxx>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "domain/page.h"
#include "domain/webhook.h"
#include "store/connection_pool.h"
#include "store/unit_of_work.h"

namespace compliance {

/// A subscription with its current secret: only the pipeline's replay of a creation and the
/// rotation see it.
struct WebhookWithSecret {
  Webhook webhook;
  std::string secret;
};

/// Webhook subscriptions in PostgreSQL, as the API reads them; they change through
/// app/webhook_commands.h and the repository functions below. Reads never return a secret.
class WebhookStore {
 public:
  explicit WebhookStore(ConnectionPool& pool) : pool_(pool) {}

  /// Prepares this store's statements on a new connection.
  static void Prepare(pqxx::connection& connection);

  /// NOT_FOUND when there is no such subscription.
  absl::StatusOr<Webhook> Get(const std::string& id, absl::Time deadline);

  /// A page, oldest first, after `after`; `more` tells whether others follow.
  absl::StatusOr<std::vector<Webhook>> List(const std::optional<TimeCursor>& after, int limit,
                                            absl::Time deadline, bool* more);

 private:
  ConnectionPool& pool_;
};

/// A new subscription with its secret, starting at the log's head.
Webhook InsertWebhook(UnitOfWork& unit, const WebhookFields& fields, const std::string& secret);

/// The subscription and its secret, locked for the rest of the transaction; NOT_FOUND when
/// there is none.
absl::StatusOr<WebhookWithSecret> LockWebhook(UnitOfWork& unit, const std::string& id);

/// The subscription and its secret, unlocked (a creation's replay); NOT_FOUND when gone.
absl::StatusOr<WebhookWithSecret> LoadWebhook(UnitOfWork& unit, const std::string& id);

/// Writes a locked subscription's URL and filters.
Webhook WriteWebhookFields(UnitOfWork& unit, const std::string& id, const WebhookFields& fields);

/// Deletes a locked subscription.
void DeleteWebhookRow(UnitOfWork& unit, const std::string& id);

/// Replaces a locked subscription's secret; the previous one keeps signing for `grace`.
Webhook WriteWebhookSecret(UnitOfWork& unit, const std::string& id, const std::string& secret,
                           absl::Duration grace);

/// Makes a locked, PAUSED subscription ACTIVE again, its run of failures forgotten.
Webhook WriteWebhookResumed(UnitOfWork& unit, const std::string& id);

/// The subscription of a row that starts with WEBHOOK_COLUMNS (for the delivery store too).
Webhook ReadWebhook(const pqxx::row& row);

}  // namespace compliance
