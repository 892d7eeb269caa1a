#pragma once

#include <google/protobuf/descriptor.h>

#include <string>

namespace compliance {

/// An RPC of the contract, as the generated descriptors name it.
struct RpcMethod {
  std::string path;  ///< "/compliance.v1.ActionService/CreateAction": what tokens are checked
                     ///< against and audit events carry
  std::string name;  ///< "CreateAction": the scope of the RPC's request_ids
};

/// The RPC that takes `request` (every RPC of the contract has a request message of its
/// own). Aborts for a message no RPC takes: that is a programming error.
RpcMethod MethodTaking(const google::protobuf::Descriptor& request);

/// MethodTaking for a request type, looked up once.
template <typename Request>
const RpcMethod& MethodOf() {
  static const RpcMethod method = MethodTaking(*Request::descriptor());
  return method;
}

/// MethodOf the request's own type.
template <typename Request>
const RpcMethod& MethodOf(const Request& /*request*/) {
  return MethodOf<Request>();
}

}  // namespace compliance
