#include <gtest/gtest.h>
#include <stdlib.h>

#include <fstream>
#include <iterator>

#include "compliance/v1/requirement.grpc.pb.h"
#include "process.h"
#include "server_process.h"
#include "test_database.h"

namespace compliance::testing {
namespace {

std::string Read(const std::string& path) {
  std::ifstream in(path);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// A CA, a server certificate for 127.0.0.1 and a client certificate, made with openssl.
class Certificates {
 public:
  Certificates() {
    std::string path = "/tmp/compliance-tls.XXXXXX";
    dir_ = mkdtemp(path.data());
    Run("openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=test-ca "
        "-keyout ca.key -out ca.pem");
    Issue("server", "-addext subjectAltName=IP:127.0.0.1,DNS:localhost");
    Issue("client", "");
  }
  ~Certificates() { RunProcess({"rm", "-rf", dir_}); }
  std::string Path(const std::string& file) const { return dir_ + "/" + file; }

 private:
  void Issue(const std::string& name, const std::string& extra) {
    Run("openssl req -newkey rsa:2048 -nodes -subj /CN=" + name + " " + extra + " -keyout " + name +
        ".key -out " + name + ".csr");
    Run("openssl x509 -req -in " + name +
        ".csr -CA ca.pem -CAkey ca.key -CAcreateserial "
        "-days 2 -copy_extensions copy -out " +
        name + ".pem");
  }
  void Run(const std::string& command) {
    const auto result = RunProcess({"sh", "-c", "cd " + dir_ + " && " + command});
    ASSERT_EQ(result.exit_code, 0) << command << "\n" << result.err;
  }
  std::string dir_;
};

grpc::StatusCode List(const std::string& address,
                      const std::shared_ptr<grpc::ChannelCredentials>& credentials) {
  auto stub = v1::RequirementService::NewStub(grpc::CreateChannel(address, credentials));
  grpc::ClientContext context;
  context.set_deadline(DeadlineIn(5));
  v1::ListRequirementsResponse response;
  return stub->ListRequirements(&context, {}, &response).error_code();
}

// The HTTP status curl got for a REST read over HTTPS (with `options` for the TLS material);
// 0 when the TLS handshake or the connection failed.
int RestStatus(const std::string& http_address, const std::vector<std::string>& options) {
  std::vector<std::string> args = {"curl", "-s",           "-o",         "/dev/null",
                                   "-w",   "%{http_code}", "--max-time", "5"};
  args.insert(args.end(), options.begin(), options.end());
  args.push_back("https://" + http_address + "/v1/frameworks/iso27001-2022/requirements/5.1.a");
  const auto result = RunProcess(args);
  return std::atoi(result.out.c_str());
}

TEST(Tls, ServerAuthenticatedTls) {
  Certificates certs;
  TestDatabase db;
  ServerProcess server(db.url(), {"COMPLIANCE_TLS_CERT=" + certs.Path("server.pem"),
                                  "COMPLIANCE_TLS_KEY=" + certs.Path("server.key")});
  grpc::SslCredentialsOptions trusted;
  trusted.pem_root_certs = Read(certs.Path("ca.pem"));
  EXPECT_EQ(List(server.address(), grpc::SslCredentials(trusted)), grpc::StatusCode::OK);
  EXPECT_NE(List(server.address(), grpc::InsecureChannelCredentials()), grpc::StatusCode::OK);

  const auto cli = RunProcess({CliBinary(), "--server", server.address(), "--ca",
                               certs.Path("ca.pem"), "requirements", "list"});
  EXPECT_EQ(cli.exit_code, 0) << cli.err;
  EXPECT_NE(cli.out.find("5.1.h"), std::string::npos);

  // REST/JSON speaks the same TLS (the test server runs without authentication).
  EXPECT_EQ(RestStatus(server.http_address(), {"--cacert", certs.Path("ca.pem")}), 200);
  EXPECT_EQ(RestStatus(server.http_address(), {}), 0) << "an untrusted certificate was accepted";
  // One connection serves request after request, and the change feed streams, over TLS too.
  const std::string base = "https://" + server.http_address();
  const auto twice =
      RunProcess({"curl", "-s", "-w", " %{http_code} %{num_connects};", "--max-time", "5",
                  "--cacert", certs.Path("ca.pem"), base + "/healthz", base + "/healthz"});
  EXPECT_NE(twice.out.find(" 200 1;"), std::string::npos) << twice.out << twice.err;
  EXPECT_NE(twice.out.find(" 200 0;"), std::string::npos) << "the second request reconnected";
  const auto feed = RunProcess({"curl", "-s", "-i", "-N", "--max-time", "2", "--cacert",
                                certs.Path("ca.pem"), base + "/v1/auditEvents:watch"});
  EXPECT_NE(feed.out.find("Content-Type: text/event-stream"), std::string::npos) << feed.out;
  const auto plain =
      RunProcess({"curl", "-s", "--max-time", "5", "http://" + server.http_address() + "/healthz"});
  EXPECT_EQ(plain.out.find("SERVING"), std::string::npos) << "plain HTTP was answered";
}

TEST(Tls, MutualTlsRequiresAClientCertificate) {
  Certificates certs;
  TestDatabase db;
  ServerProcess server(db.url(), {"COMPLIANCE_TLS_CERT=" + certs.Path("server.pem"),
                                  "COMPLIANCE_TLS_KEY=" + certs.Path("server.key"),
                                  "COMPLIANCE_TLS_CLIENT_CA=" + certs.Path("ca.pem")});
  grpc::SslCredentialsOptions anonymous;
  anonymous.pem_root_certs = Read(certs.Path("ca.pem"));
  EXPECT_NE(List(server.address(), grpc::SslCredentials(anonymous)), grpc::StatusCode::OK);

  grpc::SslCredentialsOptions with_certificate = anonymous;
  with_certificate.pem_cert_chain = Read(certs.Path("client.pem"));
  with_certificate.pem_private_key = Read(certs.Path("client.key"));
  EXPECT_EQ(List(server.address(), grpc::SslCredentials(with_certificate)), grpc::StatusCode::OK);

  const auto cli = RunProcess({CliBinary(), "--server", server.address(), "--ca",
                               certs.Path("ca.pem"), "--cert", certs.Path("client.pem"), "--key",
                               certs.Path("client.key"), "requirements", "get", "5.1.a"});
  EXPECT_EQ(cli.exit_code, 0) << cli.err;

  EXPECT_EQ(RestStatus(server.http_address(), {"--cacert", certs.Path("ca.pem")}), 0)
      << "REST answered without a client certificate";
  EXPECT_EQ(RestStatus(server.http_address(),
                       {"--cacert", certs.Path("ca.pem"), "--cert", certs.Path("client.pem"),
                        "--key", certs.Path("client.key")}),
            200);
}

}  // namespace
}  // namespace compliance::testing
