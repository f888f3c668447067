file(READ "${INPUT}" hex HEX)
string(LENGTH "${hex}" hex_length)
math(EXPR byte_count "${hex_length} / 2")
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "'\\\\x\\1'," bytes "${hex}")
file(WRITE "${OUTPUT}"
  "#include <string_view>\nnamespace tutti::embedded {\nnamespace {\nconstexpr char kBytes[] = {${bytes} 0};\n}\n"
  "std::string_view ${SYMBOL}() { return std::string_view(kBytes, ${byte_count}); }\n}\n")
