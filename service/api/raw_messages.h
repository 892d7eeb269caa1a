#pragma once

#include <google/protobuf/message_lite.h>
#include <grpcpp/support/byte_buffer.h>
#include <grpcpp/support/slice.h>

#include <initializer_list>

namespace compliance {

/// For methods served raw (request and answer as bytes, so that an answer serialized once can
/// be sent as it is): parses the request as gRPC would have parsed it for a typed method.
/// False when the bytes are not a `message`; RequestParseError then says why.
bool ParseRequest(const grpc::ByteBuffer& bytes, google::protobuf::MessageLite& message);

/// Makes `answer` the serialized messages `parts`, one after the other, without copying them.
/// Concatenated serialized messages parse as their merge: a cached page of results and a page
/// token made for this call are one answer to whoever parses it.
void SetAnswer(grpc::ByteBuffer& answer, std::initializer_list<grpc::Slice> parts);

}  // namespace compliance
