// gRPC registers its xDS plugins (resolvers, load-balancing policies, filters, certificate
// providers) in one function, grpc_core::RegisterExtraFilters, which libgrpc.a keeps in an
// object of its own (grpc_plugin_registry_extra.cc). gRPC's own builds without xDS link an
// empty one instead (grpc_plugin_registry_noextra.cc), and so does the server, which never
// dials an xds:/// target. Linked before the archive, this definition keeps that object, and
// the 1.3 MB of xDS code it would pull in, out of the binary and out of the idle server's
// memory (bench/README, change 41).
//
// The name is gRPC 1.51's, mangled, so that no gRPC-internal header or class is needed. Were a
// later gRPC to move the function into an object the server needs anyway, the link would fail
// on a duplicate definition; were it renamed, gRPC's own would be linked: neither misbehaves.
extern "C" void RegisterNoGrpcExtraFilters(void* builder) asm(
    "_ZN9grpc_core20RegisterExtraFiltersEPNS_17CoreConfiguration7BuilderE");
extern "C" void RegisterNoGrpcExtraFilters(void* /*builder*/) {}
