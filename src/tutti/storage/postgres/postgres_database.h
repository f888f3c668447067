// Internals of the PostgreSQL backend exposed for unit tests; everything else reaches the backend
// through storage::OpenDatabase / OpenPostgresDatabase (database.h). Pure functions, thread-safe.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace tutti::storage::postgres_internal {

// `sql` with each `?` placeholder replaced by `$1, $2, …` in order. A `?` inside a single-quoted
// string literal, a double-quoted identifier, a `--` line comment or a `/* */` block comment is
// left alone. Unterminated quotes or comments are copied through for the server to reject.
// PostgreSQL-only quoting (E'…' escapes, $tag$ dollar quotes) is not recognised: the portable SQL
// written above database.h does not use it.
struct NumberedSql {
  std::string text;
  size_t placeholder_count = 0;
};
NumberedSql NumberPlaceholders(std::string_view sql);

// A libpq connection string that is safe to log: for a URI the password in the user-info
// (`user:secret@`) and any `password=` query parameter are removed; for a keyword/value string
// any `password=` pair is removed. Everything else is kept verbatim.
std::string RedactConnectionString(std::string_view conninfo);

}  // namespace tutti::storage::postgres_internal
