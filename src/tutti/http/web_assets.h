// Files of the built web UI, read from its directory. Paths are confined to the root (no "..",
// no absolute paths, no symlink escape); unknown paths without an extension fall back to
// index.html so that client-side routes survive a reload. Thread-safe (read-only).
#pragma once

#include <string>

#include "tutti/base/status.h"

namespace tutti::http {

struct StaticFile {
  std::string content;
  std::string content_type;
  bool immutable = false;  // hashed asset names may be cached forever
};

Result<StaticFile> LoadStaticFile(const std::string& root, const std::string& url_path);

}  // namespace tutti::http
