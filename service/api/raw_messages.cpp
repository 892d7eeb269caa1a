#include "api/raw_messages.h"

namespace compliance {

bool ParseRequest(const grpc::ByteBuffer& bytes, google::protobuf::MessageLite& message) {
  if (!bytes.Valid()) return message.ParseFromString("");  // no bytes at all: an empty message
  grpc::Slice whole;
  // A small request arrives in one slice; a larger one is joined first.
  if (!bytes.TrySingleSlice(&whole).ok() && !bytes.DumpToSingleSlice(&whole).ok()) return false;
  return message.ParseFromArray(whole.begin(), static_cast<int>(whole.size()));
}

void SetAnswer(grpc::ByteBuffer& answer, std::initializer_list<grpc::Slice> parts) {
  // ByteBuffer takes references to the slices, not copies of their bytes.
  grpc::ByteBuffer(parts.begin(), parts.size()).Swap(&answer);
}

}  // namespace compliance
