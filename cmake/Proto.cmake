# Generates C++ for the contract (proto/) and for the standard definitions it uses
# (third_party/: health, google.rpc errors, google.api HTTP rules) into one library target,
# compliance_proto, so generated code is compiled once.
get_target_property(GRPC_CPP_PLUGIN gRPC::grpc_cpp_plugin LOCATION)
set(PROTO_OUT ${PROJECT_BINARY_DIR}/proto)
file(MAKE_DIRECTORY ${PROTO_OUT})
set(PROTO_SOURCES)
file(GLOB_RECURSE ALL_PROTOS CONFIGURE_DEPENDS
  ${PROJECT_SOURCE_DIR}/proto/*.proto ${PROJECT_SOURCE_DIR}/third_party/*.proto)

function(compliance_protoc root)
  file(GLOB_RECURSE protos CONFIGURE_DEPENDS ${root}/*.proto)
  foreach(proto ${protos})
    file(RELATIVE_PATH rel ${root} ${proto})
    string(REGEX REPLACE "\\.proto$" "" stem ${rel})
    set(outputs
      ${PROTO_OUT}/${stem}.pb.cc ${PROTO_OUT}/${stem}.pb.h
      ${PROTO_OUT}/${stem}.grpc.pb.cc ${PROTO_OUT}/${stem}.grpc.pb.h)
    add_custom_command(
      OUTPUT ${outputs}
      COMMAND protobuf::protoc
        --proto_path=${PROJECT_SOURCE_DIR}/proto
        --proto_path=${PROJECT_SOURCE_DIR}/third_party
        --cpp_out=${PROTO_OUT}
        --grpc_out=${PROTO_OUT}
        --plugin=protoc-gen-grpc=${GRPC_CPP_PLUGIN}
        ${proto}
      DEPENDS ${ALL_PROTOS} protobuf::protoc  # imports: any file may change another's output
      COMMENT "protoc ${rel}")
    list(APPEND PROTO_SOURCES ${outputs})
  endforeach()
  set(PROTO_SOURCES ${PROTO_SOURCES} PARENT_SCOPE)
endfunction()

compliance_protoc(${PROJECT_SOURCE_DIR}/proto)
compliance_protoc(${PROJECT_SOURCE_DIR}/third_party)

add_library(compliance_proto STATIC ${PROTO_SOURCES})
target_include_directories(compliance_proto PUBLIC ${PROTO_OUT})
target_link_libraries(compliance_proto PUBLIC protobuf::libprotobuf gRPC::grpc++)

