#include "http/event_stream.h"

#include "absl/strings/str_cat.h"
#include "http/http_response.h"
#include "http/json_with_defaults.h"

namespace compliance {
namespace {

// How long a stream may stay silent before a comment line checks the client is still there.
constexpr absl::Duration kKeepAliveInterval = absl::Seconds(10);

// The `sequence` of the resource the message carries, e.g. an AuditEvent's; empty when none.
std::string SequenceOf(const google::protobuf::Message& message) {
  const auto* descriptor = message.GetDescriptor();
  for (int i = 0; i < descriptor->field_count(); ++i) {
    const auto* field = descriptor->field(i);
    if (field->is_repeated() || !field->message_type() ||
        !message.GetReflection()->HasField(message, field)) {
      continue;
    }
    const auto& resource = message.GetReflection()->GetMessage(message, field);
    const auto* sequence = resource.GetDescriptor()->FindFieldByName("sequence");
    if (sequence && sequence->cpp_type() == google::protobuf::FieldDescriptor::CPPTYPE_INT64) {
      return absl::StrCat(resource.GetReflection()->GetInt64(resource, sequence));
    }
  }
  return "";
}

}  // namespace

std::string EventOf(const google::protobuf::Message& message) {
  const std::string id = SequenceOf(message);
  return absl::StrCat(id.empty() ? "" : absl::StrCat("id: ", id, "\n"),
                      "data: ", JsonWithDefaults(message), "\n\n");
}

void ServeEventStream(std::shared_ptr<StreamedCall> call, httplib::Response& response) {
  response.set_header("Cache-Control", "no-cache");
  response.set_header("X-Accel-Buffering", "no");  // proxies pass events on as they come
  response.set_chunked_content_provider(
      "text/event-stream",
      [call](size_t /*offset*/, httplib::DataSink& sink) {
        std::unique_ptr<google::protobuf::Message> message;
        grpc::Status status;
        std::string text;
        switch (call->Pop(kKeepAliveInterval, &message, &status)) {
          case StreamedCall::Next::kMessage:
            text = EventOf(*message);
            break;
          case StreamedCall::Next::kIdle:
            text = ": keep-alive\n\n";
            break;
          case StreamedCall::Next::kEnded:
            if (!status.ok()) {
              text = absl::StrCat("event: error\ndata: ", ErrorJson(status), "\n\n");
              sink.write(text.data(), text.size());
            }
            sink.done();
            return true;
        }
        return sink.write(text.data(), text.size());
      },
      [call](bool /*success*/) { call->Cancel(); });
}

}  // namespace compliance
