# ASan + UBSan for the test build; a UB report aborts the test instead of scrolling by.
add_library(tutti_sanitizers INTERFACE)
if(TUTTI_SANITIZERS)
  set(_tutti_san -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer)
  target_compile_options(tutti_sanitizers INTERFACE ${_tutti_san})
  target_link_options(tutti_sanitizers INTERFACE ${_tutti_san})
endif()
