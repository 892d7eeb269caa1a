#pragma once

#include <google/protobuf/message.h>
#include <grpcpp/grpcpp.h>

#include <string>

namespace compliance {

/// The HTTP status of a gRPC code, as google.rpc.Code documents it (AIP-193):
/// INVALID_ARGUMENT 400, NOT_FOUND 404, ABORTED and ALREADY_EXISTS 409, UNAUTHENTICATED 401 …
int HttpStatusOf(grpc::StatusCode code);

/// A failed call as google.rpc.Status JSON: its code, message and the details it carried
/// (google.rpc.BadRequest naming the field at fault).
std::string ErrorJson(const grpc::Status& status);

/// The etag of the resource a response carries (its first set message field that has an
/// `etag`); empty when it carries none.
std::string ResponseEtag(const google::protobuf::Message& response);

}  // namespace compliance
