#include "api/audit_entries.h"

#include <google/protobuf/util/json_util.h>

namespace compliance {

std::string ProtoJson(const google::protobuf::Message& message) {
  std::string json;
  // Our own messages always convert; a failure would leave the entry empty, never throw.
  (void)google::protobuf::util::MessageToJsonString(message, &json);
  return json;
}

}  // namespace compliance
