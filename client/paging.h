#pragma once

#include <grpcpp/grpcpp.h>

#include <cstddef>

#include "client_options.h"
#include "unary_call.h"

namespace compliance::cli {

/// Pages through a List RPC until `limit` items (0: all) or the last page, into `all`.
/// `fetch(context, request, page)` makes one call; `items(response)` is the repeated field of
/// the listed resources. When `limit` cut the listing short, `all`'s next_page_token says
/// where the rest begins.
template <typename Request, typename Response, typename Fetch, typename Items>
grpc::Status CollectPages(const ClientOptions& options, Request request, size_t limit, Fetch fetch,
                          Items items, Response* all) {
  request.set_page_size(limit > 0 && limit < 1000 ? static_cast<int>(limit) : 1000);
  const auto full = [&] { return limit > 0 && static_cast<size_t>(items(*all)->size()) == limit; };
  bool more = false;
  do {
    grpc::ClientContext context;
    options.Prepare(context);
    Response page;
    const grpc::Status status = fetch(&context, request, &page);
    if (!status.ok()) return status;
    for (auto& item : *items(page)) {
      if (full()) {
        more = true;
        break;
      }
      *items(*all)->Add() = std::move(item);
    }
    request.set_page_token(page.next_page_token());
    if (full()) {
      more = more || !request.page_token().empty();
      break;
    }
  } while (!request.page_token().empty());
  if (more) all->set_next_page_token(request.page_token());
  return grpc::Status::OK;
}

/// CollectPages over `list`, a List method of `stub`.
template <typename Stub, typename Request, typename Response, typename Items>
grpc::Status CollectPages(const ClientOptions& options, Stub& stub,
                          UnaryMethod<Stub, Request, Response> list, const Request& request,
                          size_t limit, Items items, Response* all) {
  return CollectPages(
      options, request, limit,
      [&](grpc::ClientContext* context, const Request& page_request, Response* page) {
        return (stub.*list)(context, page_request, page);
      },
      items, all);
}

/// CollectPages, then prints what it collected: the whole listing as JSON with --output json,
/// else what `print_table(all, more)` prints (`more`: `limit` cut the listing short). A failed
/// call is reported on stderr. Returns the exit code.
template <typename Stub, typename Request, typename Response, typename Items, typename PrintTable>
int CollectAndPrint(const ClientOptions& options, Stub& stub,
                    UnaryMethod<Stub, Request, Response> list, const Request& request, size_t limit,
                    Items items, PrintTable print_table) {
  Response all;
  const grpc::Status status = CollectPages(options, stub, list, request, limit, items, &all);
  if (!status.ok()) return ReportRpcError(status, options.server);
  if (options.json()) {
    PrintJson(all, std::cout);
  } else {
    print_table(all, !all.next_page_token().empty());
  }
  return 0;
}

}  // namespace compliance::cli
