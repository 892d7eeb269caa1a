// A small compressed request that would inflate to far more than the message limit must be
// refused without the server inflating it: memory stays where it was.
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <thread>

#include "compliance/v1/evidence.grpc.pb.h"
#include "server_process.h"
#include "test_database.h"

namespace compliance::testing {
namespace {

double RssMib(pid_t pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  for (std::string line; std::getline(status, line);) {
    if (line.rfind("VmRSS:", 0) == 0) return std::stod(line.substr(6)) / 1024;
  }
  return -1;
}

grpc::Status SendCompressed(ServerProcess& server, grpc_compression_algorithm algorithm,
                            const std::string& description) {
  grpc::ChannelArguments arguments;
  arguments.SetCompressionAlgorithm(algorithm);
  auto channel =
      grpc::CreateCustomChannel(server.address(), grpc::InsecureChannelCredentials(), arguments);
  auto stub = v1::EvidenceService::NewStub(channel);
  grpc::ClientContext context;
  context.set_deadline(DeadlineIn(30));
  v1::CreateEvidenceRequest request;
  request.mutable_evidence()->set_title("bomb");
  request.mutable_evidence()->set_description(description);
  v1::CreateEvidenceResponse response;
  return stub->CreateEvidence(&context, request, &response);
}

TEST(CompressedRequests, ABombIsRefusedWithoutBeingInflated) {
  TestDatabase db;
  ServerProcess server(db.url());
  const double before = RssMib(server.pid());
  const std::string inflated(256u << 20, 'a');  // 256 MiB; about 256 KiB as gzip
  std::vector<std::thread> senders;
  std::vector<grpc::Status> answers(4);
  for (size_t i = 0; i < answers.size(); ++i) {
    senders.emplace_back([&, i] {
      answers[i] =
          SendCompressed(server, i % 2 ? GRPC_COMPRESS_GZIP : GRPC_COMPRESS_DEFLATE, inflated);
    });
  }
  for (auto& sender : senders) sender.join();
  for (const auto& answer : answers) {
    EXPECT_EQ(answer.error_code(), grpc::StatusCode::UNIMPLEMENTED) << answer.error_message();
    EXPECT_NE(answer.error_message().find("is disabled"), std::string::npos)
        << answer.error_message();
  }
  const double after = RssMib(server.pid());
  std::printf("server RSS: %.1f MiB before, %.1f MiB after 4 bombs of 256 MiB\n", before, after);
  EXPECT_LT(after - before, 64) << "RSS went from " << before << " to " << after << " MiB";
  // The same request uncompressed is within reach of the size limit's own answer.
  const auto plain = SendCompressed(server, GRPC_COMPRESS_NONE, std::string(8u << 20, 'a'));
  EXPECT_EQ(plain.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED) << plain.error_message();
}

}  // namespace
}  // namespace compliance::testing
