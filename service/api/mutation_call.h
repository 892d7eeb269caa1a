#pragma once

#include <grpcpp/grpcpp.h>

#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "api/authenticator.h"
#include "api/deadline.h"
#include "api/proto_time.h"
#include "api/rpc_method.h"
#include "app/mutation.h"
#include "domain/access.h"

namespace compliance {

/// A mutation RPC once its caller is authorized: who calls, and the context the mutation
/// runs with (the RPC's name, the caller as actor, the call's deadline).
struct AuthorizedMutation {
  Caller caller;
  const RpcMethod* method = nullptr;
  MutationContext context;
};

/// Authorizes the RPC that takes `request`; `fallback` is the deadline when the client set
/// none.
template <typename Request>
absl::StatusOr<AuthorizedMutation> AuthorizeMutation(Authenticator& auth,
                                                     const grpc::ServerContext& context,
                                                     const Request& request,
                                                     absl::Duration fallback = absl::Seconds(30)) {
  const RpcMethod& method = MethodOf(request);
  auto caller = auth.Authorize(context, method.path);
  if (!caller.ok()) return caller.status();
  MutationContext mutation{method.name, caller->name, DeadlineOf(context, fallback)};
  return AuthorizedMutation{*std::move(caller), &method, std::move(mutation)};
}

}  // namespace compliance
