// compliance-openapi: writes the OpenAPI document of the contract's HTTP routes, from a
// descriptor set with source info (so that the protos' comments become descriptions).
//
//   compliance-openapi DESCRIPTOR_SET OUTPUT_JSON
#include <google/protobuf/descriptor.h>
#include <google/protobuf/descriptor.pb.h>

#include <fstream>
#include <iostream>

#include "http/http_routes.h"
#include "http/openapi_document.h"

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: compliance-openapi DESCRIPTOR_SET OUTPUT_JSON\n";
    return 2;
  }
  google::protobuf::FileDescriptorSet files;
  std::ifstream in(argv[1], std::ios::binary);
  if (!files.ParseFromIstream(&in)) {
    std::cerr << "compliance-openapi: cannot read " << argv[1] << "\n";
    return 1;
  }
  google::protobuf::DescriptorPool pool;
  std::vector<const google::protobuf::ServiceDescriptor*> services;
  for (const auto& file : files.file()) {
    const auto* built = pool.BuildFile(file);
    if (!built) return 1;
    if (built->package() != "compliance.v1") continue;
    for (int i = 0; i < built->service_count(); ++i) services.push_back(built->service(i));
  }
  auto routes = compliance::HttpRoutesOf(services);
  const auto* error_type = pool.FindMessageTypeByName("google.rpc.Status");
  if (!routes.ok() || !error_type) {
    std::cerr << "compliance-openapi: " << routes.status()
              << (error_type ? "" : " no google.rpc.Status") << "\n";
    return 1;
  }
  std::ofstream out(argv[2]);
  out << compliance::OpenApiDocument(services, *routes, *error_type).dump(2) << "\n";
  return out ? 0 : 1;
}
