# The OpenAPI document, made by compliance-openapi from the contract's descriptor set, and
# embedded into the server (it serves it at /openapi.json). docs/openapi.json is a checked-in
# copy; a test fails when it differs from what the build made.

# The contract's descriptors with their comments (and google.rpc.Status, the error body), from
# which the OpenAPI document is made.
file(GLOB CONTRACT_PROTOS CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/proto/compliance/v1/*.proto)
set(CONTRACT_DESCRIPTORS ${PROTO_OUT}/compliance_v1.binpb)
add_custom_command(
  OUTPUT ${CONTRACT_DESCRIPTORS}
  COMMAND protobuf::protoc
    --proto_path=${PROJECT_SOURCE_DIR}/proto
    --proto_path=${PROJECT_SOURCE_DIR}/third_party
    --include_imports --include_source_info
    --descriptor_set_out=${CONTRACT_DESCRIPTORS}
    ${CONTRACT_PROTOS} ${PROJECT_SOURCE_DIR}/third_party/google/rpc/status.proto
  DEPENDS ${ALL_PROTOS} protobuf::protoc
  COMMENT "protoc descriptor set of compliance.v1")

set(OPENAPI_JSON ${PROJECT_BINARY_DIR}/generated/openapi.json)
set(OPENAPI_CPP ${PROJECT_BINARY_DIR}/generated/embedded_openapi.cpp)
add_custom_command(
  OUTPUT ${OPENAPI_JSON}
  # A build tool, not under test: the sanitizer build's leak check stays out of the build.
  COMMAND ${CMAKE_COMMAND} -E env ASAN_OPTIONS=detect_leaks=0
          $<TARGET_FILE:compliance-openapi> ${CONTRACT_DESCRIPTORS} ${OPENAPI_JSON}
  DEPENDS compliance-openapi ${CONTRACT_DESCRIPTORS}
  COMMENT "OpenAPI document of compliance.v1"
  VERBATIM)
add_custom_command(
  OUTPUT ${OPENAPI_CPP}
  COMMAND ${CMAKE_COMMAND} -DIN=${OPENAPI_JSON} -DOUT=${OPENAPI_CPP}
          -P ${PROJECT_SOURCE_DIR}/cmake/EmbedOpenApi.cmake
  DEPENDS ${OPENAPI_JSON} ${PROJECT_SOURCE_DIR}/cmake/EmbedOpenApi.cmake
  COMMENT "embedding the OpenAPI document"
  VERBATIM)
