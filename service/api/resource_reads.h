#pragma once

#include <grpcpp/grpcpp.h>

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "api/authenticator.h"
#include "api/deadline.h"
#include "api/rpc_method.h"
#include "api/status.h"
#include "domain/clock.h"
#include "domain/names.h"
#include "domain/page.h"

namespace compliance {

// The two reads every resource of a UUID name has, in one place for every service: the
// handlers only say where the resource lives and how it maps.

/// A Get: authorize the caller, parse `{collection}/{uuid}` from the request's name, read it
/// with `read(id, deadline)`, and map it as of now into `out`.
template <typename Request, typename Read, typename Out>
grpc::Status AnswerGet(Authenticator& auth, const Clock& clock, const grpc::ServerContext& context,
                       const Request& request, absl::string_view collection, const Read& read,
                       Out* out) {
  auto caller = auth.Authorize(context, MethodOf(request).path);
  if (!caller.ok()) return ToGrpcStatus(caller.status());
  auto id = ParseUuidName("name", collection, request.name());
  if (!id.ok()) return ToGrpcStatus(id.status());
  auto resource = read(*id, DeadlineOf(context));
  if (!resource.ok()) return ToGrpcStatus(resource.status());
  ToProto(*resource, clock.Now(), out);
  return grpc::Status::OK;
}

/// A page of a List ordered by (time, id): authorize, `parse` the request into a query
/// (filter, page size, cursor, fingerprint), read a page with `read(query, now, deadline,
/// &more)`, map each item with `add`, and, when more follow, the next page token from the
/// last item's `cursor_of`.
template <typename Request, typename Parse, typename Read, typename Add, typename CursorOf,
          typename Response>
grpc::Status AnswerList(Authenticator& auth, const Clock& clock, const grpc::ServerContext& context,
                        const Request& request, const Parse& parse, const Read& read,
                        const Add& add, const CursorOf& cursor_of, Response* response) {
  auto caller = auth.Authorize(context, MethodOf(request).path);
  if (!caller.ok()) return ToGrpcStatus(caller.status());
  auto query = parse(request);
  if (!query.ok()) return ToGrpcStatus(query.status());
  const absl::Time now = clock.Now();
  bool more = false;
  auto page = read(*query, now, DeadlineOf(context), &more);
  if (!page.ok()) return ToGrpcStatus(page.status());
  for (const auto& item : *page) ToProto(item, now, add(*response));
  if (more && !page->empty()) {
    response->set_next_page_token(EncodeTimeCursor(query->fingerprint, cursor_of(page->back())));
  }
  return grpc::Status::OK;
}

}  // namespace compliance
