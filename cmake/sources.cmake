# Libraries, one per folder of src/, and the sparkplane binary.
# Dependencies point down the table in ARCHITECTURE.md.
file(GLOB SP_COMMON_SRC CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/src/common/*.cc)
add_library(sp_common STATIC ${SP_COMMON_SRC})
target_include_directories(sp_common PUBLIC ${CMAKE_SOURCE_DIR}/src)
target_link_libraries(sp_common PUBLIC nlohmann_json::nlohmann_json yaml-cpp spdlog::spdlog fmt::fmt
                      date::date-tz CURL::libcurl PkgConfig::HTTPLIB OpenSSL::Crypto Threads::Threads)
target_compile_definitions(sp_common PUBLIC SPARKPLANE_VERSION="${PROJECT_VERSION}")

file(GLOB SP_API_SRC CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/src/api/*.cc)
add_library(sp_api STATIC ${SP_API_SRC})
target_link_libraries(sp_api PUBLIC sp_common)

file(GLOB SP_CONTROLLER_SRC CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/src/controller/*.cc)
add_library(sp_controller STATIC ${SP_CONTROLLER_SRC})
target_link_libraries(sp_controller PUBLIC sp_api)

file(GLOB SP_STORAGE_SRC CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/src/storage/*.cc)
add_library(sp_storage STATIC ${SP_STORAGE_SRC} ${CMAKE_SOURCE_DIR}/cmake/empty.cc)
target_link_libraries(sp_storage PUBLIC sp_common PkgConfig::EXPAT)

file(GLOB SP_EVENTLOG_SRC CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/src/eventlog/*.cc)
add_library(sp_eventlog STATIC ${SP_EVENTLOG_SRC} ${CMAKE_SOURCE_DIR}/cmake/empty.cc)
target_link_libraries(sp_eventlog PUBLIC sp_storage PkgConfig::ZSTD PkgConfig::LZ4 PkgConfig::SNAPPY
                      PkgConfig::XXHASH PkgConfig::LZF)

file(GLOB SP_HISTORY_SRC CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/src/history/*.cc)
add_library(sp_history STATIC ${SP_HISTORY_SRC} ${CMAKE_SOURCE_DIR}/cmake/empty.cc)
target_link_libraries(sp_history PUBLIC sp_eventlog simdjson::simdjson ZLIB::ZLIB)

file(GLOB SP_LOCAL_SRC CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/src/runtime/local/*.cc)
add_library(sp_runtime_local STATIC ${SP_LOCAL_SRC})
target_link_libraries(sp_runtime_local PUBLIC sp_controller SQLite::SQLite3)

file(GLOB SP_KUBE_SRC CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/src/runtime/kube/*.cc)
add_library(sp_runtime_kube STATIC ${SP_KUBE_SRC} ${CMAKE_SOURCE_DIR}/cmake/empty.cc)
target_link_libraries(sp_runtime_kube PUBLIC sp_controller sp_common PkgConfig::ZSTD)

# The web UI: src/ui/assets as bytes in a generated source (cmake/embed_assets.cmake).
file(GLOB_RECURSE SP_UI_ASSETS CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/src/ui/assets/*)
set(SP_UI_ASSETS_CC ${CMAKE_BINARY_DIR}/generated/ui_assets_data.cc)
add_custom_command(
  OUTPUT ${SP_UI_ASSETS_CC}
  COMMAND ${CMAKE_COMMAND} -DASSETS_DIR=${CMAKE_SOURCE_DIR}/src/ui/assets -DOUT=${SP_UI_ASSETS_CC}
          -P ${CMAKE_SOURCE_DIR}/cmake/embed_assets.cmake
  DEPENDS ${SP_UI_ASSETS} ${CMAKE_SOURCE_DIR}/cmake/embed_assets.cmake
  COMMENT "Embedding the web UI assets")
file(GLOB SP_UI_SRC CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/src/ui/*.cc)
add_library(sp_ui STATIC ${SP_UI_SRC} ${SP_UI_ASSETS_CC})
target_include_directories(sp_ui PUBLIC ${CMAKE_SOURCE_DIR}/src)
target_link_libraries(sp_ui PUBLIC PkgConfig::HTTPLIB)

file(GLOB SP_CLI_SRC CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/src/cli/*.cc)
add_executable(sparkplane ${SP_CLI_SRC})
target_link_libraries(sparkplane PRIVATE sp_runtime_local sp_runtime_kube sp_history sp_ui CLI11::CLI11)
if(TARGET PkgConfig::JEMALLOC)
  target_link_libraries(sparkplane PRIVATE PkgConfig::JEMALLOC)
endif()

if(SPARKPLANE_TESTS)
  enable_testing()
  find_package(GTest REQUIRED)
  file(GLOB_RECURSE SP_UNIT_TESTS CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/tests/unit/*.cc)
  add_executable(unit_tests ${SP_UNIT_TESTS})
  target_link_libraries(unit_tests PRIVATE sp_runtime_local sp_runtime_kube sp_history sp_ui GTest::gtest GTest::gtest_main GTest::gmock)
  target_compile_definitions(unit_tests PRIVATE SPARKPLANE_SOURCE_DIR="${CMAKE_SOURCE_DIR}")
  include(GoogleTest)
  gtest_discover_tests(unit_tests DISCOVERY_TIMEOUT 60)
endif()

if(SPARKPLANE_BENCH)
  file(GLOB SP_BENCH_SRC CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/bench/*.cc)
  foreach(src ${SP_BENCH_SRC})
    get_filename_component(name ${src} NAME_WE)
    add_executable(${name} ${src})
    target_link_libraries(${name} PRIVATE sp_runtime_local sp_history)
    if(TARGET PkgConfig::JEMALLOC)
      target_link_libraries(${name} PRIVATE PkgConfig::JEMALLOC)
    endif()
  endforeach()
endif()
