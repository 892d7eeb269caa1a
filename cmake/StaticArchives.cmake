# Links gRPC, protobuf, Abseil and libpqxx from the static archives that Debian's -dev packages
# ship next to their shared libraries, and packs the programs' relative relocations (DT_RELR,
# glibc 2.36).
#
# Why: most of an idle server's memory was pages of shared libraries touched at start
# (bench/README, change 40). Abseil alone was 50-odd libraries, each with its own symbol tables,
# relocations and writable pages, and the loader resolved gRPC's and protobuf's thousands of
# exported symbols at every start. From the archives, the link takes only the objects the
# programs use and resolves them once, at link time.
#
# All of them or none: the shared libraries link each other, so one left shared (libgrpc++'s
# reflection, say) would load a second protobuf and a second Abseil beside the linked ones.
# The sanitizer build keeps the shared libraries.

# An imported library target's locations, from lib*.so[.version] to the lib*.a beside it.
function(compliance_use_static_archive target)
  set(properties IMPORTED_LOCATION)
  get_target_property(configs ${target} IMPORTED_CONFIGURATIONS)
  if(configs)
    foreach(config ${configs})
      list(APPEND properties IMPORTED_LOCATION_${config})
    endforeach()
  endif()
  foreach(property ${properties})
    get_target_property(location ${target} ${property})
    if(NOT location)
      continue()
    endif()
    string(REGEX REPLACE "\\.so(\\.[0-9.]+)?$" ".a" archive "${location}")
    if(NOT EXISTS "${archive}")
      message(FATAL_ERROR "${target}: no static archive beside ${location}; configure with "
                          "-DCOMPLIANCE_STATIC_ARCHIVES=OFF to link the shared libraries")
    endif()
    set_target_properties(${target} PROPERTIES ${property} "${archive}")
  endforeach()
endfunction()

get_directory_property(imported_targets IMPORTED_TARGETS)
foreach(target ${imported_targets})
  get_target_property(type ${target} TYPE)
  if(target MATCHES "^(absl|gRPC)::" AND type STREQUAL "SHARED_LIBRARY")
    compliance_use_static_archive(${target})
  endif()
endforeach()
compliance_use_static_archive(protobuf::libprotobuf)

# libpqxx comes from pkg-config, as a path in its target's link interface; the archive needs
# libpq, which the shared library brought with it.
pkg_check_modules(PQ REQUIRED IMPORTED_TARGET libpq)
get_target_property(pqxx_libraries PkgConfig::PQXX INTERFACE_LINK_LIBRARIES)
list(TRANSFORM pqxx_libraries REPLACE "libpqxx\\.so$" "libpqxx.a")
set(pqxx_archives ${pqxx_libraries})
list(FILTER pqxx_archives INCLUDE REGEX "libpqxx\\.a$")
if(NOT pqxx_archives)
  message(FATAL_ERROR "PkgConfig::PQXX links no libpqxx.so to swap for its archive; configure "
                      "with -DCOMPLIANCE_STATIC_ARCHIVES=OFF to link the shared library")
endif()
set_target_properties(PkgConfig::PQXX PROPERTIES
  INTERFACE_LINK_LIBRARIES "${pqxx_libraries};PkgConfig::PQ")

include(CheckLinkerFlag)
check_linker_flag(CXX "-Wl,-z,pack-relative-relocs" COMPLIANCE_LINKER_PACKS_RELOCATIONS)
if(COMPLIANCE_LINKER_PACKS_RELOCATIONS)
  add_link_options(-Wl,-z,pack-relative-relocs)
endif()
