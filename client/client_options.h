#pragma once

#include <grpcpp/grpcpp.h>

#include <memory>
#include <string>

namespace compliance::cli {

/// Flags every command shares.
struct ClientOptions {
  std::string server = "127.0.0.1:50051";
  std::string timeout = "10s";
  std::string output = "table";
  std::string token;
  bool tls = false;  ///< connect with TLS (implied by the options below)
  std::string ca;    ///< PEM file of the CA that signed the server's certificate
  std::string cert;  ///< PEM client certificate, for mutual TLS
  std::string key;   ///< PEM key of the client certificate

  bool json() const { return output == "json"; }
  /// A channel to `server`, with `arguments` (reconnect and keepalive settings…); throws
  /// std::runtime_error when a TLS file cannot be read.
  std::shared_ptr<grpc::Channel> Channel(
      const grpc::ChannelArguments& arguments = grpc::ChannelArguments()) const;
  /// Applies the deadline and credentials to a call.
  void Prepare(grpc::ClientContext& context) const;
  /// Applies the credentials but no deadline, for a stream that runs until it is cancelled.
  void PrepareStream(grpc::ClientContext& context) const;
};

}  // namespace compliance::cli
