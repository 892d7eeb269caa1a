// REST requests from strangers: any path, query, If-Match and JSON body, on any route, builds
// the route's request message or is refused with INVALID_ARGUMENT saying what is wrong, never
// a crash. (A built request may still hold bytes the service refuses, e.g. invalid UTF-8 from
// a path: the service's own parse answers those, as for any gRPC client.)
#include <google/protobuf/message.h>

#include <memory>
#include <string>
#include <vector>

#include "fuzz_check.h"
#include "http/http_request.h"
#include "http/http_routes.h"
#include "server/services.h"

namespace {

using compliance::HttpRoute;
using compliance::PathTemplate;

// A path for `route` with fuzzed values in its wildcards; `raw` replaces it entirely.
std::string PathFor(const HttpRoute& route, compliance::fuzz::FuzzInput& input) {
  std::string path;
  for (const auto& segment : route.path.segments()) {
    path += "/";
    switch (segment.kind) {
      case PathTemplate::Segment::Kind::kLiteral:
        path += segment.literal;
        break;
      case PathTemplate::Segment::Kind::kWildcard:
        path += input.String(32);
        break;
      case PathTemplate::Segment::Kind::kRest:
        path += input.String(64);
        break;
    }
  }
  if (!route.path.verb().empty()) path += ":" + route.path.verb();
  return path;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace compliance;
  static const std::vector<HttpRoute> routes = *HttpRoutesOf(Services::Descriptors());
  fuzz::FuzzInput input(data, size);
  const HttpRoute& chosen = routes[input.Byte() % routes.size()];
  const bool raw = input.Byte() % 8 == 0;
  const std::string path = raw ? input.String() : PathFor(chosen, input);
  const std::string query = input.String();
  const std::string if_match = input.String(64);
  const std::string body = input.Rest();

  const RouteMatch match = FindRoute(routes, chosen.verb, path);
  auto params = ParseQuery(query);
  FUZZ_CHECK(params.ok() || params.status().code() == absl::StatusCode::kInvalidArgument,
             params.status().ToString());
  if (!match.route || !params.ok()) return 0;
  std::unique_ptr<google::protobuf::Message> request(
      google::protobuf::MessageFactory::generated_factory()
          ->GetPrototype(match.route->method->input_type())
          ->New());
  const absl::Status built =
      BuildHttpRequest(*match.route, {match.bindings, *params, body, if_match}, *request);
  FUZZ_CHECK(built.ok() || (built.code() == absl::StatusCode::kInvalidArgument &&
                            built.message().find(": ") != absl::string_view::npos),
             built.ToString());
  return 0;
}
