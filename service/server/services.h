#pragma once

#include <google/protobuf/descriptor.h>
#include <grpcpp/grpcpp.h>

#include <string>
#include <vector>

#include "api/action_service.h"
#include "api/audit_service.h"
#include "api/evidence_service.h"
#include "api/report_service.h"
#include "api/requirement_service.h"
#include "api/webhook_service.h"
#include "app/action_commands.h"
#include "app/evidence_commands.h"
#include "app/evidence_create_groups.h"
#include "app/requirement_commands.h"
#include "app/webhook_commands.h"
#include "compliance/v1/report.grpc.pb.h"
#include "store/action_store.h"
#include "store/evidence_store.h"
#include "store/requirement_store.h"
#include "store/webhook_store.h"

namespace compliance {

/// The compliance.v1 services with the stores behind them, built from one pool.
class Services {
 public:
  /// `allow_insecure_webhooks`: --allow-insecure-webhooks.
  Services(ConnectionPool& pool, const Clock& clock, AuditWatchers& audit_watchers,
           Authenticator& auth, bool allow_insecure_webhooks);

  /// Registers every service with the builder.
  void Register(grpc::ServerBuilder& builder);

  /// Full names, e.g. "compliance.v1.RequirementService", for health and metrics.
  static std::vector<std::string> Names();

  /// Descriptors of every service, for pre-registering metrics of each method.
  static std::vector<const google::protobuf::ServiceDescriptor*> Descriptors();

 private:
  RequirementStore requirement_store_;
  EvidenceStore evidence_store_;
  ActionStore action_store_;
  AuditStore audit_store_;
  AuditTreeStore audit_tree_store_;
  StatusStore status_store_;
  WebhookStore webhook_store_;
  RequirementCommands requirement_commands_;
  EvidenceCommands evidence_commands_;
  EvidenceCreateGroups evidence_creates_;
  ActionCommands action_commands_;
  WebhookCommands webhook_commands_;
  RequirementServiceImpl requirement_service_;
  EvidenceServiceImpl evidence_service_;
  ActionServiceImpl action_service_;
  AuditServiceImpl audit_service_;
  ReportServiceImpl report_service_;
  WebhookServiceImpl webhook_service_;
};

}  // namespace compliance
