#pragma once

#include <grpcpp/grpcpp.h>

#include <iostream>

#include "client_options.h"
#include "output.h"

// What every command that makes one call shares: a stub over a channel to the server, the
// deadline and credentials of the shared flags, a failure reported on stderr, and the answer
// printed as JSON or as a table.
namespace compliance::cli {

/// A unary method of a generated stub, e.g. &v1::ActionService::Stub::GetAction.
template <typename Stub, typename Request, typename Response>
using UnaryMethod = grpc::Status (Stub::*)(grpc::ClientContext*, const Request&, Response*);

/// Calls `method` of `stub` once, with the deadline and credentials of `options`.
template <typename Stub, typename Request, typename Response>
grpc::Status CallOnce(const ClientOptions& options, Stub& stub,
                      UnaryMethod<Stub, Request, Response> method, const Request& request,
                      Response* response) {
  grpc::ClientContext context;
  options.Prepare(context);
  return (stub.*method)(&context, request, response);
}

/// CallOnce on a stub of its own, over a new channel to the server.
template <typename Stub, typename Request, typename Response>
grpc::Status CallOnce(const ClientOptions& options, UnaryMethod<Stub, Request, Response> method,
                      const Request& request, Response* response) {
  Stub stub(options.Channel());
  return CallOnce(options, stub, method, request, response);
}

/// Calls `method` once and prints the answer: the whole response as JSON with --output json,
/// else what `print_table(response)` prints. A failed call is reported on stderr. Returns the
/// exit code.
template <typename Stub, typename Request, typename Response, typename PrintTable>
int CallAndPrint(const ClientOptions& options, UnaryMethod<Stub, Request, Response> method,
                 const Request& request, PrintTable print_table) {
  Response response;
  const grpc::Status status = CallOnce(options, method, request, &response);
  if (!status.ok()) return ReportRpcError(status, options.server);
  if (options.json()) {
    PrintJson(response, std::cout);
  } else {
    print_table(response);
  }
  return 0;
}

}  // namespace compliance::cli
