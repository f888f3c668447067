// Versioned schema migrations. Each migration runs in its own write transaction together with
// the row that records it in schema_migrations, so a crash leaves the schema at a whole version.
// Applying is idempotent and safe to run from several processes at once: the version row is the
// lock (a second applier's insert conflicts and it re-reads). Thread-safe via Database.
#pragma once

#include <string>
#include <vector>

#include "tutti/storage/database.h"

namespace tutti::storage {

struct Migration {
  int version;
  std::string name;
  std::string sql;  // portable DDL (TEXT and BIGINT only)
};

const std::vector<Migration>& AllMigrations();

// Applies every migration newer than the database's version; returns the versions applied.
Result<std::vector<int>> ApplyMigrations(Database& db);
// The highest applied version (0 for an empty database).
Result<int> SchemaVersion(Database& db);

}  // namespace tutti::storage
