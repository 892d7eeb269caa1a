// Bytes that are not a valid request, sent to every RPC: the answer is INVALID_ARGUMENT
// naming the field or the message, never INTERNAL or UNIMPLEMENTED.
#include <google/protobuf/descriptor.h>
#include <grpcpp/generic/generic_stub.h>
#include <gtest/gtest.h>

#include <vector>

#include "server/services.h"
#include "server_process.h"
#include "test_database.h"

namespace compliance::testing {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::MethodDescriptor;

// Every method of compliance.v1 (grpc.health.v1 is gRPC's own service, which parses its
// requests itself).
std::vector<const MethodDescriptor*> AllMethods() {
  std::vector<const MethodDescriptor*> methods;
  for (const auto* service : Services::Descriptors()) {
    if (service->file()->package() != "compliance.v1") continue;
    for (int i = 0; i < service->method_count(); ++i) methods.push_back(service->method(i));
  }
  return methods;
}

std::string Varint(uint64_t value) {
  std::string out;
  do {
    uint8_t byte = value & 0x7f;
    value >>= 7;
    if (value != 0) byte |= 0x80;
    out.push_back(static_cast<char>(byte));
  } while (value != 0);
  return out;
}

// The wire bytes of a length-delimited field.
std::string Delimited(const FieldDescriptor* field, const std::string& payload) {
  return Varint(static_cast<uint64_t>(field->number()) << 3 | 2) + Varint(payload.size()) + payload;
}

// Every string field reachable from `message` (three levels deep at most), as the chain of
// fields that leads to it.
void StringFields(const Descriptor* message, std::vector<const FieldDescriptor*>& chain,
                  std::vector<std::vector<const FieldDescriptor*>>& out) {
  for (int i = 0; i < message->field_count(); ++i) {
    const FieldDescriptor* field = message->field(i);
    chain.push_back(field);
    if (field->type() == FieldDescriptor::TYPE_STRING) out.push_back(chain);
    if (field->type() == FieldDescriptor::TYPE_MESSAGE && chain.size() < 3 &&
        field->message_type()->file()->package() == "compliance.v1") {
      StringFields(field->message_type(), chain, out);
    }
    chain.pop_back();
  }
}

struct Answer {
  grpc::StatusCode code;
  std::string message;
};

Answer Call(ServerProcess& server, const MethodDescriptor* method, const std::string& bytes) {
  grpc::GenericStub stub(server.Channel());
  grpc::ClientContext context;
  context.set_deadline(DeadlineIn(10));
  const std::string name = "/" + method->service()->full_name() + "/" + method->name();
  grpc::Slice slice(bytes);
  grpc::ByteBuffer request(&slice, 1);
  grpc::CompletionQueue queue;
  auto call = stub.PrepareCall(&context, name, &queue);
  void* tag;
  bool ok;
  call->StartCall(reinterpret_cast<void*>(1));
  queue.Next(&tag, &ok);
  call->WriteLast(request, grpc::WriteOptions(), reinterpret_cast<void*>(2));
  queue.Next(&tag, &ok);
  grpc::ByteBuffer response;
  grpc::Status status;
  // A stream may answer messages first; the status is what counts.
  call->Read(&response, reinterpret_cast<void*>(3));
  queue.Next(&tag, &ok);
  call->Finish(&status, reinterpret_cast<void*>(4));
  while (queue.Next(&tag, &ok) && tag != reinterpret_cast<void*>(4)) {
  }
  return {status.error_code(), status.error_message()};
}

class HostileBytesTest : public ::testing::Test {
 protected:
  TestDatabase db_;
  ServerProcess server_{db_.url()};
};

TEST_F(HostileBytesTest, BytesThatAreNotProtobufAreInvalidArgumentOnEveryRpc) {
  for (const auto* method : AllMethods()) {
    const Answer answer = Call(server_, method, "\xff\xff\xff\xff");
    EXPECT_EQ(answer.code, grpc::StatusCode::INVALID_ARGUMENT) << method->full_name();
    EXPECT_EQ(answer.message, "request: not a valid " + method->input_type()->full_name())
        << method->full_name();
  }
}

TEST_F(HostileBytesTest, InvalidUtf8InAnyStringFieldIsInvalidArgumentNamingIt) {
  int checked = 0;
  for (const auto* method : AllMethods()) {
    std::vector<const FieldDescriptor*> chain;
    std::vector<std::vector<const FieldDescriptor*>> fields;
    StringFields(method->input_type(), chain, fields);
    for (const auto& path : fields) {
      std::string bytes = Delimited(path.back(), "ok\xc3\x28");
      std::string name = path.back()->name();
      for (auto it = path.rbegin() + 1; it != path.rend(); ++it) {
        bytes = Delimited(*it, bytes);
        name = (*it)->name() + "." + name;
      }
      const Answer answer = Call(server_, method, bytes);
      EXPECT_EQ(answer.code, grpc::StatusCode::INVALID_ARGUMENT)
          << method->full_name() << " " << name;
      EXPECT_EQ(answer.message, name + ": must be valid UTF-8") << method->full_name();
      ++checked;
    }
  }
  EXPECT_GT(checked, 50);
}

}  // namespace
}  // namespace compliance::testing
