// What every `tutti` sub-command shares: failures as exceptions caught once in Run (CLI11
// callbacks return nothing, and this keeps each command a straight line), and opening storage.
// Internal to tutti_cli.
#pragma once

#include <memory>
#include <string>

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

}  // namespace tutti::cli
