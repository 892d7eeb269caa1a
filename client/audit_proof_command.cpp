#include "audit_proof_command.h"

#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <optional>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "api/audit_proto.h"
#include "audit_command.h"
#include "audit_tree_check.h"
#include "cli_values.h"
#include "compliance/v1/audit.grpc.pb.h"
#include "domain/merkle.h"
#include "domain/signed_note.h"
#include "output.h"
#include "paging.h"
#include "unary_call.h"

namespace compliance::cli {
namespace {

using v1::AuditService;

// Events and proofs of a long log exceed gRPC's default 4 MB per message.
std::unique_ptr<AuditService::Stub> Stub(const ClientOptions& options) {
  grpc::ChannelArguments arguments;
  arguments.SetMaxReceiveMessageSize(-1);
  return AuditService::NewStub(options.Channel(arguments));
}

std::optional<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// --key: the verifier key itself, or a file holding it.
std::string VerifierKey(const std::string& key) {
  if (std::filesystem::is_regular_file(key)) {
    if (auto text = ReadFile(key)) return std::string(absl::StripAsciiWhitespace(*text));
  }
  return key;
}

// The checkpoint a signed note states, when `verifier_key` signed it.
absl::StatusOr<TrustedCheckpoint> OpenCheckpoint(const std::string& note,
                                                 const std::string& verifier_key,
                                                 const std::string& from) {
  auto text = OpenNote(note, verifier_key);
  if (!text.ok()) return text.status();
  auto checkpoint = ParseCheckpointBody(*text);
  if (!checkpoint.ok()) return checkpoint.status();
  return TrustedCheckpoint{checkpoint->size, checkpoint->root, from};
}

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

grpc::Status GetCheckpoint(const ClientOptions& options, AuditService::Stub& stub,
                           v1::GetCheckpointResponse* response) {
  return CallOnce(options, stub, &AuditService::Stub::GetCheckpoint, v1::GetCheckpointRequest(),
                  response);
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

}  // namespace

int VerifySigned(const ClientOptions& options, const std::string& key,
                 const std::vector<std::string>& checkpoints) {
  const std::string verifier_key = VerifierKey(key);
  if (auto valid = CheckVerifierKey(verifier_key); !valid.ok()) {
    std::cerr << "error: --key: " << valid.message()
              << " (give the verifier key, or a file holding it)\n";
    return 2;
  }
  auto stub = Stub(options);
  v1::GetCheckpointResponse current_note;
  if (auto status = GetCheckpoint(options, *stub, &current_note); !status.ok()) {
    return ReportRpcError(status, options.server);
  }
  auto current = OpenCheckpoint(current_note.note(), verifier_key, "the server's checkpoint");
  if (!current.ok()) {
    return PrintVerdict(options, Broken(1, absl::StrCat("the server's checkpoint is not signed by "
                                                        "this key: ",
                                                        current.status().message())));
  }
  std::vector<TrustedCheckpoint> trusted = {*current};
  std::optional<TreeVerdict> inconsistent;
  for (const auto& file : CheckpointFiles(checkpoints)) {
    const auto note = ReadFile(file);
    if (!note) {
      std::cerr << "error: --checkpoint: cannot read " << file << "\n";
      return 2;
    }
    auto saved = OpenCheckpoint(*note, verifier_key, file);
    if (!saved.ok()) {
      std::cerr << "error: --checkpoint: " << file << ": " << saved.status().message() << "\n";
      return 2;
    }
    if (saved->size > current->size) {
      // The walk below names the first event missing; this is what is said if none is.
      if (!inconsistent) {
        inconsistent =
            Broken(current->size + 1,
                   absl::StrCat("the log shrank: ", file, " is a checkpoint of ", saved->size,
                                " events, the server's of only ", current->size));
      }
      trusted.push_back(std::move(*saved));
      continue;
    }
    v1::GetConsistencyProofRequest request;
    request.set_first_size(saved->size);
    request.set_second_size(current->size);
    v1::GetConsistencyProofResponse proof;
    const grpc::Status status =
        CallOnce(options, *stub, &AuditService::Stub::GetConsistencyProof, request, &proof);
    if (!status.ok()) return ReportRpcError(status, options.server);
    const std::vector<std::string> hashes(proof.hashes().begin(), proof.hashes().end());
    if (!inconsistent &&
        !VerifyConsistency(saved->size, current->size, saved->root, current->root, hashes)) {
      inconsistent =
          Broken(saved->size, absl::StrCat("the server's log of ", current->size,
                                           " events is not an extension of ", file,
                                           ": events up to ", saved->size, " were rewritten"));
    }
    trusted.push_back(std::move(*saved));
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

namespace {

int PrintCheckpoint(const ClientOptions& options) {
  auto stub = Stub(options);
  v1::GetCheckpointResponse response;
  if (auto status = GetCheckpoint(options, *stub, &response); !status.ok()) {
    return ReportRpcError(status, options.server);
  }
  if (options.json()) {
    PrintJson(response, std::cout);
  } else {
    std::cout << response.note();
  }
  return 0;
}

int Prove(const ClientOptions& options, const std::string& resource, const std::string& key) {
  auto stub = Stub(options);
  v1::GetCheckpointResponse checkpoint;
  if (auto status = GetCheckpoint(options, *stub, &checkpoint); !status.ok()) {
    return ReportRpcError(status, options.server);
  }
  std::optional<TrustedCheckpoint> trusted;
  if (auto valid = CheckVerifierKey(VerifierKey(key)); !key.empty() && !valid.ok()) {
    std::cerr << "error: --key: " << valid.message()
              << " (give the verifier key, or a file holding it)\n";
    return 2;
  }
  if (!key.empty()) {
    auto opened = OpenCheckpoint(checkpoint.note(), VerifierKey(key), "the server's checkpoint");
    if (!opened.ok()) {
      std::cout << "BROKEN: the server's checkpoint is not signed by this key: "
                << opened.status().message() << "\n";
      return kAuditBrokenExitCode;
    }
    trusted = *opened;
  }
  v1::ListAuditEventsRequest request;
  request.set_resource(ExpandRequirementName(resource));
  v1::ListAuditEventsResponse events;
  const grpc::Status listed = CollectPages(
      options, *stub, &AuditService::Stub::ListAuditEvents, request, 0,
      [](auto& response) { return response.mutable_audit_events(); }, &events);
  if (!listed.ok()) return ReportRpcError(listed, options.server);
  if (events.audit_events().empty()) {
    std::cerr << "error: no audit events on " << request.resource() << "\n";
    return 1;
  }
  std::string json = "{\"checkpoint\":" + JsonText(checkpoint) + ",\"proofs\":[";
  bool all_verified = true;
  for (const auto& event : events.audit_events()) {
    if (event.sequence() > checkpoint.tree_size()) break;  // sealed after the checkpoint
    v1::GetInclusionProofRequest proof_request;
    proof_request.set_sequence(event.sequence());
    proof_request.set_tree_size(checkpoint.tree_size());
    v1::GetInclusionProofResponse proof;
    const grpc::Status status =
        CallOnce(options, *stub, &AuditService::Stub::GetInclusionProof, proof_request, &proof);
    if (!status.ok()) return ReportRpcError(status, options.server);
    // The leaf comes from the event as listed, so the proof speaks for what was shown.
    const std::vector<std::string> hashes(proof.hashes().begin(), proof.hashes().end());
    const bool verified =
        trusted && VerifyInclusion(event.sequence() - 1, trusted->size,
                                   AuditLeafHash(FromProto(event)), hashes, trusted->root);
    all_verified = all_verified && (!trusted || verified);
    if (options.json()) {
      if (json.back() != '[') json += ",";
      json += JsonText(proof);
      continue;
    }
    std::cout << "auditEvents/" << event.sequence() << "  " << ShortMethodName(event.method())
              << "  leaf " << proof.leaf_index() << " of " << proof.tree_size() << ": "
              << (trusted ? (verified ? "included (verified)" : "NOT INCLUDED") : "proof") << "\n";
    for (const auto& hash : proof.hashes()) std::cout << "  " << absl::Base64Escape(hash) << "\n";
  }
  if (options.json()) std::cout << json << "]}\n";
  return all_verified ? 0 : kAuditBrokenExitCode;
}

int PrintConsistency(const ClientOptions& options, int64_t first, int64_t second) {
  auto stub = Stub(options);
  v1::GetConsistencyProofRequest request;
  request.set_first_size(first);
  request.set_second_size(second);
  v1::GetConsistencyProofResponse proof;
  const grpc::Status status =
      CallOnce(options, *stub, &AuditService::Stub::GetConsistencyProof, request, &proof);
  if (!status.ok()) return ReportRpcError(status, options.server);
  if (options.json()) {
    PrintJson(proof, std::cout);
    return 0;
  }
  std::cout << "from " << proof.first_size() << " to " << proof.second_size() << " events, "
            << proof.hashes_size() << " hash(es):\n";
  for (const auto& hash : proof.hashes()) std::cout << "  " << absl::Base64Escape(hash) << "\n";
  return 0;
}

}  // namespace

void AddAuditProofCommands(CLI::App& audit, const ClientOptions& options, int& exit_code) {
  auto* checkpoint = audit.add_subcommand(
      "checkpoint", "print the newest signed checkpoint of the log's Merkle tree");
  checkpoint->footer(
      "Prints the checkpoint as a signed note (origin, tree size, base64 root, signature).\n"
      "Keep it: `audit verify --key VKEY --checkpoint FILE` later proves that the log still\n"
      "holds every event it covered, unchanged.\n\n"
      "Example: compliancectl audit checkpoint > checkpoint-$(date +%F).txt\n");
  checkpoint->callback([&] { exit_code = PrintCheckpoint(options); });

  auto resource = std::make_shared<std::string>();
  auto key = std::make_shared<std::string>();
  auto* prove =
      audit.add_subcommand("prove", "print each event of one resource with its inclusion proof");
  prove
      ->add_option("resource", *resource,
                   "5.1.a, a requirement's full name, evidence/UUID, actions/UUID or tokens/NAME")
      ->required();
  prove->add_option("--key", *key,
                    "verifier key (or a file holding it): also check each proof and exit 3 "
                    "when one fails");
  prove->footer(
      "For every event on the resource, the RFC 9162 inclusion proof against the newest signed\n"
      "checkpoint: with the event's canonical bytes and the checkpoint, an auditor can check\n"
      "it with no other data (docs/audit-log.md). --output json prints the checkpoint and\n"
      "every GetInclusionProofResponse.\n\n"
      "Example: compliancectl audit prove evidence/3f0c… --key audit.pub\n");
  prove->callback([&, resource, key] { exit_code = Prove(options, *resource, *key); });

  auto sizes = std::make_shared<std::pair<int64_t, int64_t>>(0, 0);
  auto* consistency = audit.add_subcommand(
      "consistency", "print the consistency proof between two sizes of the log's tree");
  consistency->add_option("first", sizes->first, "the smaller tree size")
      ->required()
      ->check(CLI::PositiveNumber);
  consistency->add_option("second", sizes->second, "the larger; default the newest checkpoint's")
      ->check(CLI::NonNegativeNumber);
  consistency->footer(
      "The RFC 9162 consistency proof that the tree of SECOND events extends the tree of FIRST\n"
      "unchanged (`audit verify --key` checks it for you; this is for your own verifier).\n\n"
      "Example: compliancectl --output json audit consistency 1200\n");
  consistency->callback(
      [&, sizes] { exit_code = PrintConsistency(options, sizes->first, sizes->second); });
}

}  // namespace compliance::cli
