#pragma once

#include <google/protobuf/message.h>
#include <httplib.h>

#include <memory>
#include <string>

#include "http/streamed_call.h"

namespace compliance {

/// Serves a started server-streaming call as Server-Sent Events: each message one event
/// (`id:` its sequence, `data:` its JSON), a comment when the stream is idle (so proxies keep
/// the connection and a departed client is noticed), and, when the stream fails, an
/// `event: error` whose data is google.rpc.Status JSON. Ends the call when the client goes.
void ServeEventStream(std::shared_ptr<StreamedCall> call, httplib::Response& response);

/// The SSE event of one stream message: `id: <sequence>` when the message carries a
/// resource with a `sequence`, then `data: <JSON>`.
std::string EventOf(const google::protobuf::Message& message);

}  // namespace compliance
