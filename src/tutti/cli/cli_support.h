// What every `tutti` sub-command shares: failures as exceptions caught once in Run (CLI11
// callbacks return nothing, and this keeps each command a straight line), and opening storage.
// Internal to tutti_cli.
#pragma once

#include <fstream>
#include <memory>
#include <sstream>
#include <string>

#include "tutti/base/json.h"
#include "tutti/storage/database.h"
#include "tutti/storage/migrations.h"
#include "tutti/storage/store.h"

namespace tutti::cli {

inline constexpr storage::Actor kCliActor{"cli", ""};

struct Failure {
  Status status;
};

inline void Check(const Status& status) {
  if (!status.ok()) throw Failure{status};
}
template <typename T>
T Check(Result<T> result) {
  if (!result.ok()) throw Failure{result.status()};
  return std::move(result).value();
}

inline std::unique_ptr<storage::Database> OpenAndMigrate(const std::string& url) {
  auto db = Check(storage::OpenDatabase(url));
  Check(storage::ApplyMigrations(*db));
  return db;
}

// The JSON object in the file at `path`; a failure names `field` (the option that gave the path)
// when the file cannot be read, and the line and column when it is not one JSON object.
inline Json ReadJsonObjectFile(const std::string& path, const std::string& field) {
  std::ifstream in(path);
  if (!in) throw Failure{InvalidArgument("cannot read " + path, field, "unreadable")};
  // Through a stringstream: GCC 12 at -O3 sees a null dereference in istreambuf_iterator.
  std::ostringstream text;
  text << in.rdbuf();
  return Check(ParseJsonObject(text.str()));
}

}  // namespace tutti::cli
