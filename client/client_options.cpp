#include "client_options.h"

#include "cli_values.h"

namespace compliance::cli {

std::shared_ptr<grpc::Channel> ClientOptions::Channel() const {
  return grpc::CreateChannel(server, grpc::InsecureChannelCredentials());
}

void ClientOptions::Prepare(grpc::ClientContext& context) const {
  // --timeout was validated when the flags were parsed.
  const absl::Duration limit = ParseHumanDuration(timeout).value_or(absl::Seconds(10));
  context.set_deadline(absl::ToChronoTime(absl::Now() + limit));
  if (!token.empty()) context.AddMetadata("authorization", "Bearer " + token);
}

}  // namespace compliance::cli
