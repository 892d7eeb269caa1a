#include "api/rpc_method.h"

#include <spdlog/spdlog.h>

#include <cstdlib>

#include "absl/strings/str_cat.h"

namespace compliance {

RpcMethod MethodTaking(const google::protobuf::Descriptor& request) {
  const google::protobuf::FileDescriptor& file = *request.file();
  for (int s = 0; s < file.service_count(); ++s) {
    const google::protobuf::ServiceDescriptor& service = *file.service(s);
    for (int m = 0; m < service.method_count(); ++m) {
      const google::protobuf::MethodDescriptor& method = *service.method(m);
      if (method.input_type() == &request) {
        return {absl::StrCat("/", service.full_name(), "/", method.name()), method.name()};
      }
    }
  }
  spdlog::critical("no RPC of {} takes {}", file.name(), request.full_name());
  std::abort();
}

}  // namespace compliance
