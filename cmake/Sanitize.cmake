# Flags of the sanitizer build, for every target defined after this file is included (the
# generated protobuf code, defined before, is left uninstrumented: it is not ours and is most
# of the build's time).
if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
  message(FATAL_ERROR "COMPLIANCE_SANITIZE needs clang (-DCMAKE_CXX_COMPILER=clang++-14)")
endif()
# Any finding fails: UBSan stops instead of printing and going on.
set(SANITIZE_FLAGS -fsanitize=address,undefined -fno-sanitize-recover=all
    -fno-omit-frame-pointer)
add_compile_options(${SANITIZE_FLAGS} -fsanitize=fuzzer-no-link -gline-tables-only)
add_link_options(${SANITIZE_FLAGS})
