# Every dependency comes from a Debian package (see scripts/install-deps).
find_package(Threads REQUIRED)
find_package(PkgConfig REQUIRED)
find_package(SQLite3 REQUIRED)
find_package(PostgreSQL REQUIRED)
find_package(nlohmann_json 3.10 REQUIRED)
find_package(CLI11 REQUIRED)
find_package(date REQUIRED)
find_package(ZLIB REQUIRED)  # gzip event uploads
find_package(simdjson 3.0 REQUIRED)  # NDJSON events for attribution (libsimdjson-dev)
pkg_check_modules(SODIUM REQUIRED IMPORTED_TARGET libsodium)
# Debian ships cpp-httplib as a compiled library; its pkg-config flags carry the feature macros
# that decide the class layout, so they must be used verbatim.
pkg_check_modules(HTTPLIB REQUIRED IMPORTED_TARGET cpp-httplib)
if(TUTTI_BUILD_TESTS)
  find_package(GTest REQUIRED)
endif()
if(TUTTI_BUILD_BENCHMARKS)
  find_package(benchmark REQUIRED)
endif()
