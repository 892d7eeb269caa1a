#include "domain/access.h"

#include <algorithm>
#include <map>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace compliance {

bool ParseRole(absl::string_view text, Role* role) {
  static const std::map<std::string, Role, std::less<>> kRoles = {{"viewer", Role::kViewer},
                                                                  {"integrator", Role::kIntegrator},
                                                                  {"editor", Role::kEditor},
                                                                  {"admin", Role::kAdmin}};
  auto it = kRoles.find(text);
  if (it == kRoles.end()) return false;
  *role = it->second;
  return true;
}

const char* RoleName(Role role) {
  switch (role) {
    case Role::kViewer:
      return "viewer";
    case Role::kIntegrator:
      return "integrator";
    case Role::kEditor:
      return "editor";
    case Role::kAdmin:
      return "admin";
  }
  return "unknown";
}

absl::Status CheckPermission(const Caller& caller, Permission permission) {
  bool granted = false;
  switch (permission) {
    case Permission::kRead:
      granted = true;
      break;
    case Permission::kIntegrate:
      granted = caller.role >= Role::kIntegrator;
      break;
    case Permission::kWrite:
      granted = caller.role >= Role::kEditor;
      break;
    case Permission::kAdministerTokens:
      granted = caller.role == Role::kAdmin;
      break;
  }
  if (granted) return absl::OkStatus();
  return absl::PermissionDeniedError(absl::StrCat(
      "token \"", caller.name, "\" has role ", RoleName(caller.role), ", which may not do this"));
}

absl::Status CheckSource(const Caller& caller, const std::string& field,
                         const std::string& source) {
  if (caller.role != Role::kIntegrator || caller.sources.empty() ||
      std::find(caller.sources.begin(), caller.sources.end(), source) != caller.sources.end()) {
    return absl::OkStatus();
  }
  return absl::PermissionDeniedError(
      absl::StrCat(field, ": token \"", caller.name, "\" may only write evidence of source(s) ",
                   absl::StrJoin(caller.sources, ", "), ", not \"", source, "\""));
}

Permission RequiredPermission(absl::string_view full_method) {
  static const std::map<std::string, Permission, std::less<>> kTable = {
      {"/compliance.v1.RequirementService/GetRequirement", Permission::kRead},
      {"/compliance.v1.RequirementService/ListRequirements", Permission::kRead},
      {"/compliance.v1.RequirementService/UpdateRequirement", Permission::kWrite},
      {"/compliance.v1.RequirementService/ReviewRequirement", Permission::kWrite},
      {"/compliance.v1.EvidenceService/CreateEvidence", Permission::kIntegrate},
      {"/compliance.v1.EvidenceService/BatchCreateEvidence", Permission::kIntegrate},
      {"/compliance.v1.EvidenceService/GetEvidence", Permission::kRead},
      {"/compliance.v1.EvidenceService/ListEvidence", Permission::kRead},
      {"/compliance.v1.EvidenceService/WithdrawEvidence", Permission::kWrite},
      {"/compliance.v1.ActionService/CreateAction", Permission::kWrite},
      {"/compliance.v1.ActionService/GetAction", Permission::kRead},
      {"/compliance.v1.ActionService/ListActions", Permission::kRead},
      {"/compliance.v1.ActionService/UpdateAction", Permission::kWrite},
      {"/compliance.v1.ActionService/CompleteAction", Permission::kIntegrate},
      {"/compliance.v1.ActionService/CancelAction", Permission::kWrite},
      {"/compliance.v1.ReportService/GetReadiness", Permission::kRead},
      {"/compliance.v1.ReportService/ExportAssessmentResults", Permission::kRead},
      {"/compliance.v1.AuditService/ListAuditEvents", Permission::kRead},
      {"/compliance.v1.AuditService/WatchAuditEvents", Permission::kRead},
      {"/compliance.v1.AuditService/VerifyAuditLog", Permission::kRead},
      {"/compliance.v1.AuditService/GetCheckpoint", Permission::kRead},
      {"/compliance.v1.AuditService/GetInclusionProof", Permission::kRead},
      {"/compliance.v1.AuditService/GetConsistencyProof", Permission::kRead},
      // Subscriptions name URLs and sign with secrets: administration, reads included.
      {"/compliance.v1.WebhookService/CreateWebhook", Permission::kAdministerTokens},
      {"/compliance.v1.WebhookService/GetWebhook", Permission::kAdministerTokens},
      {"/compliance.v1.WebhookService/ListWebhooks", Permission::kAdministerTokens},
      {"/compliance.v1.WebhookService/UpdateWebhook", Permission::kAdministerTokens},
      {"/compliance.v1.WebhookService/DeleteWebhook", Permission::kAdministerTokens},
      {"/compliance.v1.WebhookService/RotateWebhookSecret", Permission::kAdministerTokens},
      {"/compliance.v1.WebhookService/ResumeWebhook", Permission::kAdministerTokens},
  };
  auto it = kTable.find(full_method);
  return it == kTable.end() ? Permission::kAdministerTokens : it->second;
}

}  // namespace compliance
