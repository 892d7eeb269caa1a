#include "server/services.h"

#include "grpc/health/v1/health.pb.h"

namespace compliance {

Services::Services(ConnectionPool& pool, const Clock& clock, AuditWatchers& audit_watchers,
                   Authenticator& auth, bool allow_insecure_webhooks)
    : requirement_store_(pool, clock),
      evidence_store_(pool),
      action_store_(pool),
      audit_store_(pool),
      audit_tree_store_(pool),
      status_store_(pool),
      webhook_store_(pool),
      requirement_commands_(pool),
      evidence_commands_(pool, evidence_store_),
      evidence_creates_(evidence_commands_),
      action_commands_(pool),
      webhook_commands_(pool),
      requirement_service_(requirement_store_, requirement_commands_, clock, auth),
      evidence_service_(evidence_store_, evidence_commands_, evidence_creates_, clock, auth),
      action_service_(action_store_, action_commands_, clock, auth),
      audit_service_(audit_store_, audit_tree_store_, audit_watchers, auth),
      report_service_(status_store_, evidence_store_, action_store_, clock, auth),
      webhook_service_(webhook_store_, webhook_commands_, clock, auth, allow_insecure_webhooks) {}

void Services::Register(grpc::ServerBuilder& builder) {
  builder.RegisterService(&requirement_service_);
  builder.RegisterService(&evidence_service_);
  builder.RegisterService(&action_service_);
  builder.RegisterService(&report_service_);
  builder.RegisterService(&audit_service_);
  builder.RegisterService(&webhook_service_);
}

std::vector<std::string> Services::Names() {
  return {v1::RequirementService::service_full_name(), v1::EvidenceService::service_full_name(),
          v1::ActionService::service_full_name(),      v1::ReportService::service_full_name(),
          v1::AuditService::service_full_name(),       v1::WebhookService::service_full_name()};
}

std::vector<const google::protobuf::ServiceDescriptor*> Services::Descriptors() {
  // Referencing the health messages links their descriptors in, so that reflection can
  // describe grpc.health.v1.Health to tools like grpcurl; its methods get metrics too.
  std::vector<std::string> names = Names();
  names.push_back(
      grpc::health::v1::HealthCheckRequest::descriptor()->file()->service(0)->full_name());
  std::vector<const google::protobuf::ServiceDescriptor*> descriptors;
  for (const auto& name : names) {
    descriptors.push_back(
        google::protobuf::DescriptorPool::generated_pool()->FindServiceByName(name));
  }
  return descriptors;
}

}  // namespace compliance
