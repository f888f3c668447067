# Project warning flags, applied through an INTERFACE target so third-party code is untouched.
# -Wsign-conversion is left off: in g++ it flags every char -> unsigned char byte loop and
# size_t/ptrdiff_t index idiom, while -Wconversion already catches the narrowing that loses data.
add_library(tutti_warnings INTERFACE)
target_compile_options(tutti_warnings INTERFACE
  -Wall -Wextra -Wshadow -Wconversion -Wnon-virtual-dtor
  -Wold-style-cast -Woverloaded-virtual -Wnull-dereference -Wformat=2)
if(TUTTI_WARNINGS_AS_ERRORS)
  target_compile_options(tutti_warnings INTERFACE -Werror)
endif()
# GCC 12 reports -Wrestrict on plain std::string concatenation at -O2/-O3 (GCC bug 105329, a
# false positive fixed in GCC 13); turned off only for that compiler.
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
  target_compile_options(tutti_warnings INTERFACE -Wno-restrict)
endif()
