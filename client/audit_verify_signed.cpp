// `audit verify --key`: trusts nothing the database says, only what the key signed.
#include <algorithm>
#include <filesystem>
#include <iostream>
#include <optional>

#include "absl/strings/str_cat.h"
#include "api/audit_proto.h"
#include "audit_client.h"
#include "audit_command.h"
#include "audit_run.h"
#include "audit_tree_check.h"
#include "compliance/v1/audit.grpc.pb.h"
#include "domain/merkle.h"
#include "output.h"
#include "unary_call.h"

namespace compliance::cli {
namespace {

using v1::AuditService;

// The files named by --checkpoint: each file, and every file of each directory (a witness
// directory), in name order.
std::vector<std::string> CheckpointFiles(const std::vector<std::string>& paths) {
  std::vector<std::string> files;
  for (const auto& path : paths) {
    if (!std::filesystem::is_directory(path)) {
      files.push_back(path);
      continue;
    }
    std::vector<std::string> in_dir;
    for (const auto& entry : std::filesystem::directory_iterator(path)) {
      if (entry.is_regular_file()) in_dir.push_back(entry.path().string());
    }
    std::sort(in_dir.begin(), in_dir.end());
    files.insert(files.end(), in_dir.begin(), in_dir.end());
  }
  return files;
}

int PrintVerdict(const ClientOptions& options, const TreeVerdict& verdict) {
  if (options.json()) {
    v1::VerifyAuditLogResponse response;
    response.set_intact(verdict.intact);
    response.set_verified_events(verdict.verified_events);
    response.set_first_broken_sequence(verdict.first_broken_sequence);
    response.set_detail(verdict.detail);
    PrintJson(response, std::cout);
  } else if (verdict.intact) {
    std::cout << "intact: " << verdict.detail << "\n";
  } else {
    std::cout << "BROKEN at sequence " << verdict.first_broken_sequence << ": " << verdict.detail
              << "\n";
  }
  return verdict.intact ? 0 : kAuditBrokenExitCode;
}

TreeVerdict Broken(int64_t sequence, std::string detail) {
  return TreeVerdict{false, std::max<int64_t>(sequence - 1, 0), sequence, std::move(detail)};
}

// Reads events 1 … check.target() into `check`.
grpc::Status WalkEvents(const ClientOptions& options, AuditService::Stub& stub, TreeCheck& check) {
  int64_t after = 0;
  while (after < check.target()) {
    v1::ListAuditEventsRequest request;
    request.set_after_sequence(after);
    request.set_page_size(1000);
    v1::ListAuditEventsResponse page;
    const grpc::Status status =
        CallOnce(options, stub, &AuditService::Stub::ListAuditEvents, request, &page);
    if (!status.ok()) return status;
    if (page.audit_events().empty()) break;
    for (const auto& event : page.audit_events()) {
      if (event.sequence() > check.target()) break;
      check.Add(FromProto(event));
    }
    after = page.audit_events().rbegin()->sequence();
  }
  return grpc::Status::OK;
}

// A saved checkpoint of --checkpoint, read from `file` and signed by `verifier_key`; nullopt,
// with the problem on stderr, when it cannot be read or was not signed by that key.
std::optional<TrustedCheckpoint> ReadSavedCheckpoint(const std::string& file,
                                                     const std::string& verifier_key) {
  const auto note = ReadFileBytes(file);
  if (!note) {
    std::cerr << "error: --checkpoint: cannot read " << file << "\n";
    return std::nullopt;
  }
  auto saved = OpenCheckpoint(*note, verifier_key, file);
  if (!saved.ok()) {
    std::cerr << "error: --checkpoint: " << file << ": " << saved.status().message() << "\n";
    return std::nullopt;
  }
  return std::move(*saved);
}

// Whether the server's log, at `current`, still extends `saved` (read from `file`), by the
// server's consistency proof; the first break found goes into `inconsistent`. Fails only when
// the server cannot be asked.
grpc::Status CheckExtends(const ClientOptions& options, AuditService::Stub& stub,
                          const TrustedCheckpoint& saved, const TrustedCheckpoint& current,
                          const std::string& file, std::optional<TreeVerdict>& inconsistent) {
  if (saved.size > current.size) {
    // The walk of the events names the first event missing; this is what is said if none is.
    if (!inconsistent) {
      inconsistent =
          Broken(current.size + 1,
                 absl::StrCat("the log shrank: ", file, " is a checkpoint of ", saved.size,
                              " events, the server's of only ", current.size));
    }
    return grpc::Status::OK;
  }
  v1::GetConsistencyProofRequest request;
  request.set_first_size(saved.size);
  request.set_second_size(current.size);
  v1::GetConsistencyProofResponse proof;
  const grpc::Status status =
      CallOnce(options, stub, &AuditService::Stub::GetConsistencyProof, request, &proof);
  if (!status.ok()) return status;
  const std::vector<std::string> hashes(proof.hashes().begin(), proof.hashes().end());
  if (!inconsistent &&
      !VerifyConsistency(saved.size, current.size, saved.root, current.root, hashes)) {
    inconsistent =
        Broken(saved.size,
               absl::StrCat("the server's log of ", current.size, " events is not an extension of ",
                            file, ": events up to ", saved.size, " were rewritten"));
  }
  return grpc::Status::OK;
}

// Adds the checkpoints of --checkpoint to `trusted`, each checked against the server's
// `current`. The exit code when one cannot be used (2) or the server cannot be asked (1).
std::optional<int> AddSavedCheckpoints(const ClientOptions& options, AuditService::Stub& stub,
                                       const std::string& verifier_key,
                                       const TrustedCheckpoint& current,
                                       const std::vector<std::string>& paths,
                                       std::vector<TrustedCheckpoint>& trusted,
                                       std::optional<TreeVerdict>& inconsistent) {
  for (const auto& file : CheckpointFiles(paths)) {
    auto saved = ReadSavedCheckpoint(file, verifier_key);
    if (!saved) return 2;
    const grpc::Status status = CheckExtends(options, stub, *saved, current, file, inconsistent);
    if (!status.ok()) return ReportRpcError(status, options.server);
    trusted.push_back(std::move(*saved));
  }
  return std::nullopt;
}

}  // namespace

int RunAuditVerifySigned(const ClientOptions& options, const std::string& key,
                         const std::vector<std::string>& checkpoints) {
  const auto verifier_key = VerifierKeyFlag(key);
  if (!verifier_key) return 2;
  auto stub = AuditStub(options);
  v1::GetCheckpointResponse current_note;
  if (auto status = FetchCheckpoint(options, *stub, &current_note); !status.ok()) {
    return ReportRpcError(status, options.server);
  }
  auto current = OpenCheckpoint(current_note.note(), *verifier_key, "the server's checkpoint");
  if (!current.ok()) {
    return PrintVerdict(options, Broken(1, absl::StrCat("the server's checkpoint is not signed by "
                                                        "this key: ",
                                                        current.status().message())));
  }
  std::vector<TrustedCheckpoint> trusted = {*current};
  std::optional<TreeVerdict> inconsistent;
  if (auto exit_code = AddSavedCheckpoints(options, *stub, *verifier_key, *current, checkpoints,
                                           trusted, inconsistent)) {
    return *exit_code;
  }
  TreeCheck check(std::move(trusted));
  if (auto status = WalkEvents(options, *stub, check); !status.ok()) {
    return ReportRpcError(status, options.server);
  }
  TreeVerdict verdict = check.Finish();
  // The events name where the log changed; a failed consistency proof alone says only that.
  if (verdict.intact && inconsistent) verdict = *inconsistent;
  return PrintVerdict(options, verdict);
}

}  // namespace compliance::cli
