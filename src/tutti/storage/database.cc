#include "tutti/storage/database.h"

#include <charconv>

namespace tutti::storage {

bool Row::IsNull(size_t column) const {
  return std::holds_alternative<std::monostate>(values_.at(column));
}

std::string Row::Text(size_t column) const {
  const SqlValue& v = values_.at(column);
  if (const auto* s = std::get_if<std::string>(&v)) return *s;
  if (const auto* i = std::get_if<int64_t>(&v)) return std::to_string(*i);
  return {};
}

int64_t Row::Int(size_t column) const {
  const SqlValue& v = values_.at(column);
  if (const auto* i = std::get_if<int64_t>(&v)) return *i;
  if (const auto* s = std::get_if<std::string>(&v)) {
    int64_t out = 0;
    std::from_chars(s->data(), s->data() + s->size(), out);
    return out;
  }
  return 0;
}

Result<std::unique_ptr<Database>> OpenDatabase(std::string_view url) {
  if (url.starts_with("sqlite:")) return OpenSqliteDatabase(url.substr(7));
  if (url.starts_with("postgresql://") || url.starts_with("postgres://")) {
    return OpenPostgresDatabase(url);
  }
  return InvalidArgument("unknown database URL; expected sqlite:PATH or postgresql://USER@HOST/DB",
                         "db", "invalid_db_url");
}

}  // namespace tutti::storage
