// Writing CSV (RFC 4180): the one place that decides when and how a field is quoted.
#pragma once

#include <string>
#include <string_view>

namespace tutti {

// `text` as one CSV field: as is, or in double quotes with quotes doubled when it holds a comma,
// a quote or a line break.
std::string CsvField(std::string_view text);

}  // namespace tutti
