#include "http/http_response.h"

#include "google/rpc/status.pb.h"
#include "http/http_exchange.h"
#include "http/json_with_defaults.h"

namespace compliance {

int HttpStatusOf(grpc::StatusCode code) {
  switch (code) {
    case grpc::StatusCode::OK:
      return 200;
    case grpc::StatusCode::CANCELLED:
      return 499;
    case grpc::StatusCode::INVALID_ARGUMENT:
    case grpc::StatusCode::FAILED_PRECONDITION:
    case grpc::StatusCode::OUT_OF_RANGE:
      return 400;
    case grpc::StatusCode::DEADLINE_EXCEEDED:
      return 504;
    case grpc::StatusCode::NOT_FOUND:
      return 404;
    case grpc::StatusCode::ALREADY_EXISTS:
    case grpc::StatusCode::ABORTED:
      return 409;
    case grpc::StatusCode::PERMISSION_DENIED:
      return 403;
    case grpc::StatusCode::UNAUTHENTICATED:
      return 401;
    case grpc::StatusCode::RESOURCE_EXHAUSTED:
      return 429;
    case grpc::StatusCode::UNIMPLEMENTED:
      return 501;
    case grpc::StatusCode::UNAVAILABLE:
      return 503;
    default:  // UNKNOWN, INTERNAL, DATA_LOSS
      return 500;
  }
}

std::string ErrorJson(const grpc::Status& status) {
  google::rpc::Status error;
  if (status.error_details().empty() || !error.ParseFromString(status.error_details())) {
    error.Clear();
  }
  error.set_code(static_cast<int>(status.error_code()));
  error.set_message(status.error_message());
  return JsonWithDefaults(error);
}

std::string ProtocolErrorJson(int http_status) {
  switch (http_status) {
    case 413:
      return ErrorJson(
          grpc::Status(grpc::StatusCode::RESOURCE_EXHAUSTED, "body: larger than 8 MiB"));
    case 503:
      return ErrorJson(grpc::Status(grpc::StatusCode::UNAVAILABLE,
                                    "body: too many large requests at once; retry"));
    case 431:
      return ErrorJson(
          grpc::Status(grpc::StatusCode::RESOURCE_EXHAUSTED, "headers: larger than 64 KiB"));
    default:
      return ErrorJson(
          grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "the request is not valid HTTP"));
  }
}

std::string ResponseEtag(const google::protobuf::Message& response) {
  const auto* descriptor = response.GetDescriptor();
  const auto* reflection = response.GetReflection();
  for (int i = 0; i < descriptor->field_count(); ++i) {
    const auto* field = descriptor->field(i);
    if (field->is_repeated() || !field->message_type() || !reflection->HasField(response, field)) {
      continue;
    }
    const auto& resource = reflection->GetMessage(response, field);
    const auto* etag = resource.GetDescriptor()->FindFieldByName("etag");
    if (etag && etag->cpp_type() == google::protobuf::FieldDescriptor::CPPTYPE_STRING) {
      return resource.GetReflection()->GetString(resource, etag);
    }
  }
  return "";
}

}  // namespace compliance
