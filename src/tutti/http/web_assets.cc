#include "tutti/http/web_assets.h"

#include <filesystem>
#include <fstream>
#include <sstream>

namespace tutti::http {
namespace {

std::string ContentTypeFor(const std::filesystem::path& file) {
  const std::string ext = file.extension().string();
  if (ext == ".html") return "text/html; charset=utf-8";
  if (ext == ".js" || ext == ".mjs") return "text/javascript; charset=utf-8";
  if (ext == ".css") return "text/css; charset=utf-8";
  if (ext == ".json") return "application/json";
  if (ext == ".svg") return "image/svg+xml";
  if (ext == ".png") return "image/png";
  if (ext == ".ico") return "image/x-icon";
  if (ext == ".woff2") return "font/woff2";
  if (ext == ".txt") return "text/plain; charset=utf-8";
  return "application/octet-stream";
}

Result<std::string> ReadFile(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return NotFound("file not found");
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

}  // namespace

Result<StaticFile> LoadStaticFile(const std::string& root, const std::string& url_path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::path base = fs::weakly_canonical(root, ec);
  if (ec || !fs::is_directory(base)) {
    return Unavailable(
        "the web UI is not built; run scripts/serve (or: npm --prefix web run build)");
  }
  std::string relative = url_path;
  while (!relative.empty() && relative.front() == '/') relative.erase(0, 1);
  if (relative.find("..") != std::string::npos || relative.find('\\') != std::string::npos ||
      relative.find('\0') != std::string::npos) {
    return NotFound("file not found");
  }
  fs::path file = relative.empty() ? base / "index.html" : base / relative;
  fs::path resolved = fs::weakly_canonical(file, ec);
  bool inside = !ec && resolved.string().rfind(base.string(), 0) == 0;
  if (!inside || !fs::is_regular_file(resolved)) {
    if (fs::path(relative).has_extension()) return NotFound("file not found");
    resolved = base / "index.html";
  }
  TUTTI_ASSIGN_OR_RETURN(std::string content, ReadFile(resolved));
  bool immutable = resolved.parent_path().filename() == "assets";
  return StaticFile{std::move(content), ContentTypeFor(resolved), immutable};
}

}  // namespace tutti::http
