#include "audit_client.h"

#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>

#include "absl/strings/ascii.h"
#include "domain/signed_note.h"
#include "unary_call.h"

namespace compliance::cli {

std::unique_ptr<v1::AuditService::Stub> AuditStub(const ClientOptions& options) {
  grpc::ChannelArguments arguments;
  arguments.SetMaxReceiveMessageSize(-1);
  return v1::AuditService::NewStub(options.Channel(arguments));
}

grpc::Status FetchCheckpoint(const ClientOptions& options, v1::AuditService::Stub& stub,
                             v1::GetCheckpointResponse* response) {
  return CallOnce(options, stub, &v1::AuditService::Stub::GetCheckpoint, v1::GetCheckpointRequest(),
                  response);
}

std::optional<std::string> ReadFileBytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  return std::string(std::istreambuf_iterator<char>(in), {});
}

std::optional<std::string> VerifierKeyFlag(const std::string& key) {
  std::string verifier_key = key;
  const auto text = std::filesystem::is_regular_file(key) ? ReadFileBytes(key) : std::nullopt;
  if (text) verifier_key = std::string(absl::StripAsciiWhitespace(*text));
  if (auto valid = CheckVerifierKey(verifier_key); !valid.ok()) {
    std::cerr << "error: --key: " << valid.message()
              << " (give the verifier key, or a file holding it)\n";
    return std::nullopt;
  }
  return verifier_key;
}

absl::StatusOr<TrustedCheckpoint> OpenCheckpoint(const std::string& note,
                                                 const std::string& verifier_key,
                                                 const std::string& from) {
  auto text = OpenNote(note, verifier_key);
  if (!text.ok()) return text.status();
  auto checkpoint = ParseCheckpointBody(*text);
  if (!checkpoint.ok()) return checkpoint.status();
  return TrustedCheckpoint{checkpoint->size, checkpoint->root, from};
}

}  // namespace compliance::cli
