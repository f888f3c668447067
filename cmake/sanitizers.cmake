# ASan + UBSan for the test build; a UB report aborts the test instead of scrolling by.
add_library(tutti_sanitizers INTERFACE)
if(TUTTI_SANITIZERS)
  set(_tutti_san -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer)
  target_compile_options(tutti_sanitizers INTERFACE ${_tutti_san})
  target_link_options(tutti_sanitizers INTERFACE ${_tutti_san})
endif()
# In the fuzz build every library is instrumented for coverage too, so that libFuzzer sees the
# parsers' branches and not only the few lines of each fuzz target (139 edges against 2 366 for
# the media prober).
if(TUTTI_FUZZ)
  target_compile_options(tutti_sanitizers INTERFACE -fsanitize=fuzzer-no-link)
endif()
