#include "client_options.h"

#include <fstream>
#include <iterator>
#include <stdexcept>

#include "cli_values.h"

namespace compliance::cli {

namespace {

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

}  // namespace

std::shared_ptr<grpc::Channel> ClientOptions::Channel(
    const grpc::ChannelArguments& arguments) const {
  if (!tls && ca.empty() && cert.empty()) {
    return grpc::CreateCustomChannel(server, grpc::InsecureChannelCredentials(), arguments);
  }
  grpc::SslCredentialsOptions ssl;
  if (!ca.empty()) ssl.pem_root_certs = ReadFile(ca);  // otherwise the system's roots
  if (!cert.empty()) {
    ssl.pem_cert_chain = ReadFile(cert);
    ssl.pem_private_key = ReadFile(key);
  }
  return grpc::CreateCustomChannel(server, grpc::SslCredentials(ssl), arguments);
}

void ClientOptions::Prepare(grpc::ClientContext& context) const {
  // --timeout was validated when the flags were parsed.
  const absl::Duration limit = ParseHumanDuration(timeout).value_or(absl::Seconds(10));
  context.set_deadline(absl::ToChronoTime(absl::Now() + limit));
  PrepareStream(context);
}

void ClientOptions::PrepareStream(grpc::ClientContext& context) const {
  if (!token.empty()) context.AddMetadata("authorization", "Bearer " + token);
}

}  // namespace compliance::cli
