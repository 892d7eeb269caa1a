# Generates C++ for the contract into one library target, compliance_proto, so the generated
# code is compiled once and linked by everything else.
set(PROTO_ROOT ${PROJECT_SOURCE_DIR}/proto)
file(GLOB PROTO_FILES CONFIGURE_DEPENDS ${PROTO_ROOT}/compliance/v1/*.proto)
get_target_property(GRPC_CPP_PLUGIN gRPC::grpc_cpp_plugin LOCATION)
set(PROTO_OUT ${PROJECT_BINARY_DIR}/proto)
file(MAKE_DIRECTORY ${PROTO_OUT})

set(PROTO_SOURCES)
foreach(proto ${PROTO_FILES})
  file(RELATIVE_PATH rel ${PROTO_ROOT} ${proto})
  string(REGEX REPLACE "\\.proto$" "" stem ${rel})
  set(outputs
    ${PROTO_OUT}/${stem}.pb.cc ${PROTO_OUT}/${stem}.pb.h
    ${PROTO_OUT}/${stem}.grpc.pb.cc ${PROTO_OUT}/${stem}.grpc.pb.h)
  add_custom_command(
    OUTPUT ${outputs}
    COMMAND protobuf::protoc
      --proto_path=${PROTO_ROOT}
      --cpp_out=${PROTO_OUT}
      --grpc_out=${PROTO_OUT}
      --plugin=protoc-gen-grpc=${GRPC_CPP_PLUGIN}
      ${proto}
    DEPENDS ${proto} protobuf::protoc
    COMMENT "protoc ${rel}")
  list(APPEND PROTO_SOURCES ${outputs})
endforeach()

add_library(compliance_proto STATIC ${PROTO_SOURCES})
target_include_directories(compliance_proto PUBLIC ${PROTO_OUT})
target_link_libraries(compliance_proto PUBLIC protobuf::libprotobuf gRPC::grpc++)
